import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { parseAllDocuments } from 'yaml';
import { synthCommand } from '../../lib/cli/synth-command';
import { CliIo } from '../../lib/cli/cli-io';
import { audit, K8sObject } from '../../lib/policy';
import { hasOpenApiSchema } from '../../lib/k8s/openapi-schema';

const ROOT = path.join(__dirname, '..', '..');

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => '', cwd: ROOT };
}

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

describe('example stacks (the main job)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-stacks-'));
  const first = path.join(tmp, 'a');
  const second = path.join(tmp, 'b');
  let files: Record<string, string>;

  beforeAll(async () => {
    for (const out of [first, second]) {
      const cli = io();
      expect(await synthCommand(['--out', out, '--no-audit'], cli)).toBe(0);
    }
    files = readDir(first);
  });

  it('synthesizes deterministically: two runs give byte-identical output', () => {
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(3);
    expect(readDir(second)).toEqual(files);
  });

  it('has three tiers and the boutique, each in its own default-deny namespace, and no error finding in the catalog', () => {
    const objects = Object.values(files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as K8sObject));
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name);
    expect(namespaces.sort()).toEqual(['boutique', 'data', 'orders', 'storefront']);
    for (const ns of namespaces) {
      expect(
        objects.some(
          (o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === ns && o.metadata?.name === 'default-deny-all',
        ),
      ).toBe(true);
    }
    const result = audit(objects);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.findings.filter((f) => f.severity === 'warning')).toEqual([]);
  });

  it('ports Online Boutique (11 services, Redis, load generator) without any escape hatch', () => {
    const source = fs.readFileSync(path.join(ROOT, 'stacks', 'apps', 'boutique.ts'), 'utf8');
    expect(source).not.toMatch(/JsonPatch|addJsonPatch|ApiObject|\.spec\b|as any/);
    expect(source.split('\n').length).toBeLessThanOrEqual(150);
    const objects = parseAllDocuments(files['boutique.k8s.yaml']).map((d) => d.toJS() as K8sObject);
    const of = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata?.name);
    expect(of('Deployment').length).toBe(11);
    expect(of('StatefulSet')).toEqual(['redis-cart']);
    /* eslint-disable @typescript-eslint/no-explicit-any -- reading synthesized JSON */
    const get = (kind: string, name: string) =>
      objects.find((o) => o.kind === kind && o.metadata?.name === name) as any;
    expect(get('StatefulSet', 'redis-cart').spec.replicas).toBe(1);
    const loadgen = get('Deployment', 'loadgenerator').spec.template.spec;
    expect(loadgen.initContainers.map((c: any) => c.name)).toEqual(['frontend-check']);
    expect(loadgen.initContainers[0].securityContext).toEqual(loadgen.containers[0].securityContext);
    expect(get('Service', 'cartservice').spec.ports).toEqual([
      { name: 'grpc', port: 7070, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' },
    ]);
    expect(get('NetworkPolicy', 'redis-cart-ingress').spec.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cartservice' } } }],
        ports: [{ protocol: 'TCP', port: 6379 }],
      },
    ]);
    expect(get('NetworkPolicy', 'checkoutservice-egress').spec.egress.length).toBe(6);
    /* eslint-enable @typescript-eslint/no-explicit-any */
  });

  it('is valid against the Kubernetes OpenAPI schema (built-in kinds)', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'openapi-validate.mjs'), first], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^openapi: \d+ valid, 0 invalid, skipped \(no schema: CRDs\) /);
    expect(run.status).toBe(0);
  });

  it('is valid for the API server: both apps pass the schema rule group (OpenAPI schema, name and format rules)', () => {
    const byFile = Object.entries(files).map(([file, text]) => ({
      file,
      objects: parseAllDocuments(text).map((d) => d.toJS() as K8sObject),
    }));
    // Both example apps: the three-tier shop and the Online Boutique port.
    expect(byFile.map((f) => f.file)).toEqual(expect.arrayContaining(['boutique.k8s.yaml']));
    expect(byFile.length).toBeGreaterThanOrEqual(2);
    for (const { file, objects } of byFile) {
      const result = audit(objects, { only: ['schema'] });
      expect([
        file,
        result.findings.map((f) => `${f.ruleId} ${f.object.kind} ${f.object.name} ${f.path}: ${f.message}`),
      ]).toEqual([file, []]);
      expect(objects.filter((o) => hasOpenApiSchema(o.apiVersion, o.kind)).length).toBeGreaterThan(10);
    }
  });

  it('writes nothing and keeps the previous output when synthesis fails', async () => {
    const bad = path.join(ROOT, 'test', 'fixtures', 'apps', 'refused-image.ts');
    const cli = io();
    expect(await synthCommand(['--app', bad, '--out', first, '--no-audit'], cli)).toBe(1);
    expect(cli.err.join('')).toContain(
      `bulwark synth: synthesis refused; nothing was written to ${first}/\nHardenedDeployment at 'x/api': prop 'image' received "nginx:latest"`,
    );
    expect(readDir(first)).toEqual(files);
    // Nothing of the refused run is left in bulwark's store: only the current output.
    expect(fs.readdirSync(path.join(tmp, '.a.bulwark')).sort()).toEqual([
      '.gitignore',
      path.basename(fs.readlinkSync(first)),
    ]);
  });
});
