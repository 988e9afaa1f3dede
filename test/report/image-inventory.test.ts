import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readManifests } from '../../lib/manifest/manifests';
import { byCodePoint } from '../../lib/util/by-code-point';
import {
  formatImageInventoryJson,
  formatImageInventoryList,
  formatImageInventoryText,
  imageInventory,
} from '../../lib/report/image-inventory';

const ROOT = path.join(__dirname, '..', '..');
const CORPUS = 'test/corpus/real-world';
const EVERY_KIND = 'test/fixtures/images/every-container-kind.yaml';
const D1 = '1'.repeat(64);

async function inventoryOf(...inputs: string[]) {
  const m = await readManifests(inputs, { cwd: ROOT });
  expect(m.errors).toEqual([]);
  return imageInventory(m.objects, m.sources);
}

describe('imageInventory: nothing unpinned is reported as pinned', () => {
  it('reads every container kind and marks only valid sha256 references as pinned', async () => {
    const inv = await inventoryOf(EVERY_KIND);
    const summary = inv.images.map((i) => [i.image, i.status, i.pinned, i.uses.map((u) => `${u.role}:${u.container}`)]);
    expect(summary).toEqual([
      ['', 'missing', false, ['container:none']],
      [
        ' ghcr.io/acme/app@sha256:2222222222222222222222222222222222222222222222222222222222222222',
        'invalid',
        false,
        ['container:spaced'],
      ],
      ['1.5', 'invalid', false, ['container:numeric']],
      ['busybox:latest', 'latest', false, ['ephemeral:debugger']],
      [
        'ghcr.io/acme/app@sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        'invalid',
        false,
        ['container:upper'],
      ],
      [`ghcr.io/acme/fetch:1.2.0@sha256:${D1}`, 'pinned', true, ['init:fetch']],
      ['ghcr.io/acme/proxy:2.0', 'tagged', false, ['sidecar:proxy']],
      ['ghcr.io/acme/run@sha256:abc', 'invalid', false, ['container:run']],
      ['nginx', 'untagged', false, ['container:app', 'container:agent']],
    ]);
    expect({ containers: inv.containerCount, pinned: inv.pinnedCount, unpinned: inv.unpinnedCount }).toEqual({
      containers: 10,
      pinned: 1,
      unpinned: 8,
    });
  });

  it('names each use by object, container path, file and line', async () => {
    const inv = await inventoryOf(EVERY_KIND);
    const fetch = inv.images.find((i) => i.pinned);
    expect(fetch).toEqual({
      image: `ghcr.io/acme/fetch:1.2.0@sha256:${D1}`,
      pinned: true,
      status: 'pinned',
      registry: 'ghcr.io',
      repository: 'acme/fetch',
      tag: '1.2.0',
      digest: `sha256:${D1}`,
      uses: [
        {
          object: { apiVersion: 'batch/v1', kind: 'CronJob', namespace: 'jobs', name: 'nightly' },
          container: 'fetch',
          role: 'init',
          path: 'spec.jobTemplate.spec.template.spec.initContainers[0].image',
          file: EVERY_KIND,
          line: 2,
        },
      ],
    });
    const nginx = inv.images.find((i) => i.image === 'nginx');
    expect(nginx).toMatchObject({ registry: 'docker.io', repository: 'library/nginx' });
    expect(nginx?.uses.map((u) => u.line)).toEqual([22, 40]);
  });

  it('lists for scanners only valid references, and says so in text and JSON', async () => {
    const inv = await inventoryOf(EVERY_KIND);
    expect(formatImageInventoryList(inv)).toBe(
      ['busybox:latest', `ghcr.io/acme/fetch:1.2.0@sha256:${D1}`, 'ghcr.io/acme/proxy:2.0', 'nginx', ''].join('\n'),
    );
    const text = formatImageInventoryText(inv);
    expect(text).toContain(
      `pinned    ghcr.io/acme/fetch:1.2.0@sha256:${D1}\n          CronJob jobs/nightly init 'fetch' (${EVERY_KIND}:2)\n`,
    );
    expect(text).toContain('invalid   ghcr.io/acme/run@sha256:abc\n');
    expect(text.endsWith('9 images in 10 containers: 1 pinned by digest, 8 not\n')).toBe(true);
    const json = JSON.parse(formatImageInventoryJson(inv));
    expect(json.summary).toEqual({ images: 9, containers: 10, pinned: 1, unpinned: 8 });
  });
});

/**
 * The oracle for the corpus: the `yaml` package (not bulwark's go-yaml port) and a plain walk of every container list
 * of the built-in pod kinds.
 */
function oracleImages(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  const templates: Record<string, string[]> = {
    Pod: [],
    Deployment: ['spec', 'template'],
    StatefulSet: ['spec', 'template'],
    DaemonSet: ['spec', 'template'],
    Job: ['spec', 'template'],
    CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  };
  for (const f of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
      const o = doc.toJS() as Record<string, unknown> | null;
      if (!o || typeof o.kind !== 'string' || !(o.kind in templates)) continue;
      let t: unknown = o;
      for (const k of templates[o.kind]) t = (t as Record<string, unknown>)[k];
      const spec = (t as { spec: Record<string, { image: string }[] | undefined> }).spec;
      for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
        for (const c of spec[list] ?? []) counts.set(c.image, (counts.get(c.image) ?? 0) + 1);
      }
    }
  }
  return counts;
}

describe('imageInventory on the real-world corpus (five projects, unmodified)', () => {
  it('finds every container image the yaml package finds, with the same counts', async () => {
    const inv = await inventoryOf(CORPUS);
    const ours = new Map(inv.images.map((i) => [i.image, i.uses.length]));
    const oracle = oracleImages(path.join(ROOT, CORPUS));
    expect(ours).toEqual(oracle);
    expect(inv.containerCount).toBe([...oracle.values()].reduce((a, b) => a + b, 0));
    expect(inv.images.length).toBeGreaterThanOrEqual(8);
  });

  it('reads pinning as the upstream projects wrote it', async () => {
    const inv = await inventoryOf(CORPUS);
    const byImage = new Map(inv.images.map((i) => [i.image, i]));
    const controller =
      'registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1';
    expect(byImage.get(controller)).toMatchObject({ pinned: true, tag: 'v1.15.1', registry: 'registry.k8s.io' });
    expect(byImage.get('quay.io/argoproj/argocd:latest')).toMatchObject({ pinned: false, status: 'latest' });
    expect(byImage.get('gcr.io/k8s-staging-metrics-server/metrics-server:master')).toMatchObject({
      pinned: false,
      status: 'tagged',
    });
    // flannel's DaemonSet runs its CNI plugin installer as an init container.
    expect(byImage.get('ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3')?.uses.map((u) => u.role)).toEqual([
      'init',
    ]);
    // Only ingress-nginx pins its images.
    expect(inv.images.filter((i) => i.pinned).map((i) => i.repository)).toEqual([
      'ingress-nginx/controller',
      'ingress-nginx/kube-webhook-certgen',
    ]);
  });
});

describe('imageInventory finds pods in any kind, as the audit does (podViewsOf)', () => {
  const ANY_KIND = 'test/fixtures/pods-in-any-kind';

  it('lists the images of an Argo Rollout, a DeploymentConfig, a Knative Service and a KEDA ScaledJob, none of a CRD schema', async () => {
    const inv = await inventoryOf(ANY_KIND);
    expect(
      inv.images.map((i) => [i.image, i.status, i.uses.map((u) => `${u.object.kind} ${u.object.name} ${u.path}`)]),
    ).toEqual([
      ['argoproj/rollouts-demo:blue', 'tagged', ['Rollout canary-demo spec.template.spec.containers[0].image']],
      [
        'ghcr.io/kedacore/rabbitmq-client:v1.0',
        'tagged',
        ['ScaledJob rabbitmq-consumer spec.jobTargetRef.template.spec.containers[0].image'],
      ],
      ['ghcr.io/knative/helloworld-go:latest', 'latest', ['Service hello spec.template.spec.containers[0].image']],
      [
        'openshift/origin-ruby-sample:latest',
        'latest',
        ['DeploymentConfig frontend spec.template.spec.containers[0].image'],
      ],
    ]);
  });

  it('finds the same images on the real-world corpus with the custom kinds beside it, and nothing in its CRD schemas', async () => {
    const corpus = await inventoryOf(CORPUS);
    const both = await inventoryOf(CORPUS, ANY_KIND);
    const custom = await inventoryOf(ANY_KIND);
    expect(both.containerCount).toBe(corpus.containerCount + custom.containerCount);
    expect(both.images.map((i) => i.image)).toEqual(
      [...corpus.images, ...custom.images].map((i) => i.image).sort(byCodePoint),
    );
    // argo-cd's manifests hold CustomResourceDefinitions whose schemas describe containers: none is a pod.
    expect(corpus.images.flatMap((i) => i.uses).filter((u) => u.object.kind === 'CustomResourceDefinition')).toEqual(
      [],
    );
  });
});
