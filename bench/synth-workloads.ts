import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';

/**
 * The ways the synthesis benchmark produces the manifests of N workloads. All split the workloads over the same
 * charts (one namespace each, DEFAULT_CHARTS of them unless told otherwise: a team's app has a few namespaces) and
 * write one multi-document YAML file per chart into `outdir`.
 * - bulwark: HardenedDeployments through cdk8s App.synth, synth-time validation on (a consumer's own `cdk8s synth`);
 * - bulwark-synth: the same app synthesized as `bulwark synth` does (renderApp: rendered once, validated, written with
 *   the fast YAML writer);
 * - plain: cdk8s-plus-27 Deployment + Service through cdk8s App.synth;
 * - yaml-plain: the objects `plain` writes, as object literals serialized with the `yaml` package (the lower bound);
 * - yaml-bulwark: the objects `bulwark` writes, serialized the same way (what writing bulwark's output costs at least
 *   with the yaml package);
 * - fastyaml-bulwark: the objects `bulwark` writes, serialized with bulwark's fast YAML writer, which bulwark's synthesis
 *   uses (what writing bulwark's output costs at least as bulwark writes it);
 * - plain-fastyaml: `plain` rendered chart by chart (chart.toJson) and written with the same fast writer (what plain
 *   cdk8s-plus-27 would cost written that way).
 */
export type SynthVariant =
  'bulwark' | 'bulwark-synth' | 'plain' | 'yaml-plain' | 'yaml-bulwark' | 'fastyaml-bulwark' | 'plain-fastyaml';
export const SYNTH_VARIANTS: readonly SynthVariant[] = [
  'bulwark',
  'bulwark-synth',
  'plain',
  'yaml-plain',
  'yaml-bulwark',
  'fastyaml-bulwark',
  'plain-fastyaml',
];

/**
 * Charts the workloads are split over. Fixed, not growing with N: cdk8s validates the whole app once more for every
 * chart it writes (App.synth calls each chart's toJson, which validates the app), so its own cost grows with
 * charts × app size; a fixed count keeps that out of the growth with N. `--charts` measures other splits.
 */
export const DEFAULT_CHARTS = 4;
export const WORKLOAD_PORT = 8080;
export const BENCH_IMAGE = `ghcr.io/acme/api@sha256:${'0123456789abcdef'.repeat(4)}`;

/** The options cdk8s's Yaml.save passes to the yaml package. */
const YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

export interface ChartPlan {
  readonly chart: string;
  readonly namespace: string;
  /** Workload names, in order. */
  readonly workloads: readonly string[];
}

/** Which workload goes to which chart: N workloads in consecutive blocks over min(charts, N) charts. */
export function chartPlan(n: number, charts = DEFAULT_CHARTS): ChartPlan[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`workload count must be an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(charts) || charts < 1) {
    throw new RangeError(`chart count must be an integer ≥ 1, got ${charts}`);
  }
  const count = Math.min(charts, n);
  const plans: ChartPlan[] = [];
  for (let k = 0; k < count; k++) {
    const workloads: string[] = [];
    for (let i = Math.floor((k * n) / count); i < Math.floor(((k + 1) * n) / count); i++) workloads.push(`w${i}`);
    plans.push({ chart: `team-${k}`, namespace: `team-${k}`, workloads });
  }
  return plans;
}

/** A variant with its libraries loaded, ready to build N workloads; loading is not part of the measurement. */
export type Builder = (n: number, outdir: string, charts?: number) => BuiltVariant;

/** What a variant built, ready to be written. */
export interface BuiltVariant {
  /** Writes the manifests to the outdir. */
  readonly synth: () => void;
  /** Objects written. */
  readonly objectCount: () => number;
}

type Cdk8s = typeof import('cdk8s');
type Bulwark = typeof import('../lib');

function countApiObjects(cdk8s: Cdk8s, app: import('cdk8s').App): number {
  return app.node.findAll().filter((c) => c instanceof cdk8s.ApiObject).length;
}

/**
 * The bulwark workloads of one chart: one HardenedDeployment per workload (Deployment, Service, ServiceAccount,
 * PodDisruptionBudget, ingress NetworkPolicy) in a ring where every workload admits its predecessor, so each also has
 * an egress NetworkPolicy and both have a rule (a ring of one has neither).
 */
function bulwarkRing(lib: Bulwark, chart: import('cdk8s').Chart, names: readonly string[]): void {
  const ring = names.map(
    (name) => new lib.HardenedDeployment(chart, name, { image: BENCH_IMAGE, port: WORKLOAD_PORT }),
  );
  if (ring.length > 1) ring.forEach((w, i) => w.allowFrom(ring[(i + ring.length - 1) % ring.length]));
}

/**
 * bulwark: HardenedDeployments; synth-time catalog validation is attached by the construct. With `asBulwarkSynth`
 * (bulwark-synth), the app is synthesized as `bulwark synth` does it (renderApp) and its files written.
 */
function loadBulwark(asBulwarkSynth = false): Builder {
  // Required here, not at the top, so that each variant's process loads only its own libraries.
  const cdk8s = require('cdk8s') as Cdk8s;
  const lib = require('../lib') as Bulwark;
  const { renderApp } = require('../lib/cli/synth-render') as typeof import('../lib/cli/synth-render');
  return (n, outdir, charts = DEFAULT_CHARTS) => {
    const app = new cdk8s.App({ outdir });
    for (const plan of chartPlan(n, charts)) {
      bulwarkRing(lib, new cdk8s.Chart(app, plan.chart, { namespace: plan.namespace }), plan.workloads);
    }
    const synth = asBulwarkSynth
      ? () => {
          fs.mkdirSync(outdir, { recursive: true });
          for (const f of renderApp(app)) fs.writeFileSync(path.join(outdir, f.name), f.text);
        }
      : () => app.synth();
    return { synth, objectCount: () => countApiObjects(cdk8s, app) };
  };
}

/**
 * plain: a cdk8s-plus-27 Deployment exposed by a Service, with the library's defaults. With `fastYaml`
 * (plain-fastyaml), each chart is rendered with its public toJson and written with bulwark's fast YAML writer.
 */
function loadPlain(fastYaml = false): Builder {
  const cdk8s = require('cdk8s') as Cdk8s;
  const kplus = require('cdk8s-plus-27') as typeof import('cdk8s-plus-27');
  const { stringifyManifest } =
    require('../lib/manifest/fast-yaml-writer') as typeof import('../lib/manifest/fast-yaml-writer');
  return (n, outdir, charts = DEFAULT_CHARTS) => {
    const app = new cdk8s.App({ outdir });
    for (const plan of chartPlan(n, charts)) {
      const chart = new cdk8s.Chart(app, plan.chart, { namespace: plan.namespace });
      for (const name of plan.workloads) {
        const d = new kplus.Deployment(chart, name, {
          metadata: { name },
          replicas: 2,
          containers: [{ image: BENCH_IMAGE, portNumber: WORKLOAD_PORT }],
        });
        d.exposeViaService({ name, ports: [{ port: WORKLOAD_PORT }] });
      }
    }
    const synth = fastYaml
      ? () => {
          fs.mkdirSync(outdir, { recursive: true });
          for (const chart of app.charts) {
            const text = (chart.toJson() as unknown[])
              .map((doc) => stringifyManifest(doc) ?? cdk8s.Yaml.stringify(doc))
              .join('---\n');
            fs.writeFileSync(path.join(outdir, `${cdk8s.Names.toDnsLabel(chart)}.k8s.yaml`), text);
          }
        }
      : () => app.synth();
    return { synth, objectCount: () => countApiObjects(cdk8s, app) };
  };
}

/** The label cdk8s-plus-27 selects pods by; yaml-plain writes `<chart>-<name>` where cdk8s appends a hash. */
export const ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

/**
 * The Deployment and Service that `plain` synthesizes for one workload, as plain objects with keys in the order
 * cdk8s writes them (sorted), except that the address label has no hash suffix.
 */
export function plainObjects(chart: string, namespace: string, name: string): Record<string, unknown>[] {
  const addr = { [ADDRESS_LABEL]: `${chart}-${name}` };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        minReadySeconds: 0,
        progressDeadlineSeconds: 600,
        replicas: 2,
        selector: { matchLabels: { ...addr } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: {
          metadata: { labels: { ...addr } },
          spec: {
            automountServiceAccountToken: false,
            containers: [
              {
                image: BENCH_IMAGE,
                imagePullPolicy: 'Always',
                name: 'main',
                ports: [{ containerPort: WORKLOAD_PORT }],
                resources: {
                  limits: { cpu: '1500m', memory: '2048Mi' },
                  requests: { cpu: '1000m', memory: '512Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                },
                startupProbe: { failureThreshold: 3, tcpSocket: { port: WORKLOAD_PORT } },
              },
            ],
            dnsPolicy: 'ClusterFirst',
            hostNetwork: false,
            restartPolicy: 'Always',
            securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
            setHostnameAsFQDN: false,
            terminationGracePeriodSeconds: 30,
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { externalIPs: [], ports: [{ port: WORKLOAD_PORT }], selector: { ...addr }, type: 'ClusterIP' },
    },
  ];
}

type DocumentWriter = (doc: unknown) => string;

const writeWithYaml: DocumentWriter = (doc) => stringify(doc, YAML_OPTIONS);

/** Writes documents per chart file the way cdk8s's Yaml.save does, each with `write` (by default the yaml package). */
function yamlWriter(
  outdir: string,
  files: readonly { file: string; docs: readonly unknown[] }[],
  write: DocumentWriter = writeWithYaml,
): BuiltVariant {
  return {
    synth: () => {
      fs.mkdirSync(outdir, { recursive: true });
      for (const f of files) {
        const text = f.docs.map(write).join('---\n');
        fs.writeFileSync(path.join(outdir, f.file), text, 'utf8');
      }
    },
    objectCount: () => files.reduce((sum, f) => sum + f.docs.length, 0),
  };
}

/** yaml-plain (the lower bound): plain's objects as literals, serialized with the yaml package. */
function loadYamlPlain(): Builder {
  return (n, outdir, charts = DEFAULT_CHARTS) =>
    yamlWriter(
      outdir,
      chartPlan(n, charts).map((plan) => ({
        file: `${plan.chart}.k8s.yaml`,
        docs: plan.workloads.flatMap((name) => plainObjects(plan.chart, plan.namespace, name)),
      })),
    );
}

/** Placeholders of the template workloads: a workload, its predecessor and successor in the ring, the namespace. */
const SELF = 'zzqself';
const PREV = 'zzqprev';
const NEXT = 'zzqnext';
const NS = 'zzqns';
const PLACEHOLDER = /zzq(?:self|prev|next|ns)/g;

/**
 * yaml-bulwark: the objects bulwark writes, serialized with the yaml package and no framework. The objects of each
 * workload are the JSON bulwark renders for a template workload (made once, while loading) with its names put in, so
 * the files are byte for byte the ones bulwark writes. fastyaml-bulwark: the same, written with bulwark's fast YAML
 * writer (falling back to the yaml package per document, as bulwark's synthesis does).
 */
function loadYamlBulwark(fastYaml = false): Builder {
  let write = writeWithYaml;
  if (fastYaml) {
    const { stringifyManifest } =
      require('../lib/manifest/fast-yaml-writer') as typeof import('../lib/manifest/fast-yaml-writer');
    write = (doc) => stringifyManifest(doc) ?? writeWithYaml(doc);
  }
  const cdk8s = require('cdk8s') as Cdk8s;
  const lib = require('../lib') as Bulwark;
  // Rings of one, two and three; a workload in a longer ring renders like the middle one of three.
  const templates = [[SELF], [PREV, SELF], [PREV, SELF, NEXT]].map((ring) => {
    const app = new cdk8s.App();
    const chart = new cdk8s.Chart(app, 'template', { namespace: NS });
    bulwarkRing(lib, chart, ring);
    // The objects of SELF, in the order cdk8s writes them: named after it, or `<name>-ingress` and `<name>-egress`.
    const objects = cdk8s.Testing.synth(chart).filter((o) => {
      const name = (o as { metadata: { name: string } }).metadata.name;
      return name === SELF || name.startsWith(`${SELF}-`);
    });
    return JSON.stringify(objects);
  });
  return (n, outdir, charts = DEFAULT_CHARTS) =>
    yamlWriter(
      outdir,
      chartPlan(n, charts).map((plan) => {
        const ring = plan.workloads;
        const template = templates[Math.min(ring.length, 3) - 1];
        const docs = ring.flatMap((name, i) => {
          const names: Record<string, string> = {
            [SELF]: name,
            [PREV]: ring[(i + ring.length - 1) % ring.length],
            [NEXT]: ring[(i + 1) % ring.length],
            [NS]: plan.namespace,
          };
          return JSON.parse(template.replace(PLACEHOLDER, (p) => names[p])) as unknown[];
        });
        return { file: `${plan.chart}.k8s.yaml`, docs };
      }),
      write,
    );
}

export const LOADERS: Readonly<Record<SynthVariant, () => Builder>> = {
  bulwark: () => loadBulwark(),
  'bulwark-synth': () => loadBulwark(true),
  plain: () => loadPlain(),
  'yaml-plain': loadYamlPlain,
  'yaml-bulwark': () => loadYamlBulwark(),
  'fastyaml-bulwark': () => loadYamlBulwark(true),
  'plain-fastyaml': () => loadPlain(true),
};
