import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';

/**
 * The three ways the synthesis benchmark produces the manifests of N workloads. All three group workloads into the
 * same charts (one namespace each, WORKLOADS_PER_CHART workloads per chart, the way teams split an app) and write one
 * multi-document YAML file per chart into `outdir`.
 */
export type SynthVariant = 'bulwark' | 'plain' | 'yaml';
export const SYNTH_VARIANTS: readonly SynthVariant[] = ['bulwark', 'plain', 'yaml'];

export const WORKLOADS_PER_CHART = 100;
export const WORKLOAD_PORT = 8080;
export const BENCH_IMAGE = `ghcr.io/acme/api@sha256:${'0123456789abcdef'.repeat(4)}`;

export interface ChartPlan {
  readonly chart: string;
  readonly namespace: string;
  /** Workload names, in order. */
  readonly workloads: readonly string[];
}

/** Which workload goes to which chart: chart k holds workloads k*WORKLOADS_PER_CHART .. (k+1)*WORKLOADS_PER_CHART-1. */
export function chartPlan(n: number): ChartPlan[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`workload count must be an integer ≥ 1, got ${n}`);
  const charts: ChartPlan[] = [];
  for (let start = 0; start < n; start += WORKLOADS_PER_CHART) {
    const k = charts.length;
    const workloads: string[] = [];
    for (let i = start; i < Math.min(n, start + WORKLOADS_PER_CHART); i++) workloads.push(`w${i}`);
    charts.push({ chart: `team-${k}`, namespace: `team-${k}`, workloads });
  }
  return charts;
}

/** What a variant built: the app to synthesize (cdk8s variants) or the documents per chart (yaml variant). */
export interface BuiltVariant {
  /** Writes the manifests to the outdir. */
  readonly synth: () => void;
  /** Objects written (cdk8s variants: ApiObjects in the construct tree). */
  readonly objectCount: () => number;
}

function countApiObjects(app: import('cdk8s').App): number {
  const { ApiObject } = require('cdk8s') as typeof import('cdk8s');
  return app.node.findAll().filter((c) => c instanceof ApiObject).length;
}

/**
 * bulwark: one HardenedDeployment per workload (Deployment, Service, ServiceAccount, PodDisruptionBudget, ingress
 * NetworkPolicy), each allowing traffic from its predecessor in the chart, so every workload also gets an egress
 * NetworkPolicy and both have rules. Synth-time catalog validation is attached by the construct.
 */
export function buildBulwark(n: number, outdir: string): BuiltVariant {
  // Loaded here, not at the top, so that each variant's process loads only its own libraries.
  const { App, Chart } = require('cdk8s') as typeof import('cdk8s');
  const { HardenedDeployment } = require('../lib') as typeof import('../lib');
  const app = new App({ outdir });
  for (const plan of chartPlan(n)) {
    const chart = new Chart(app, plan.chart, { namespace: plan.namespace });
    const ring = plan.workloads.map(
      (name) => new HardenedDeployment(chart, name, { image: BENCH_IMAGE, port: WORKLOAD_PORT }),
    );
    // A ring: every workload admits its predecessor, so each has ingress and egress rules (none with a single one).
    if (ring.length > 1) ring.forEach((w, i) => w.allowFrom(ring[(i + ring.length - 1) % ring.length]));
  }
  return { synth: () => app.synth(), objectCount: () => countApiObjects(app) };
}

/** plain: a cdk8s-plus-27 Deployment exposed by a Service, with the library's defaults. */
export function buildPlain(n: number, outdir: string): BuiltVariant {
  const { App, Chart } = require('cdk8s') as typeof import('cdk8s');
  const kplus = require('cdk8s-plus-27') as typeof import('cdk8s-plus-27');
  const app = new App({ outdir });
  for (const plan of chartPlan(n)) {
    const chart = new Chart(app, plan.chart, { namespace: plan.namespace });
    for (const name of plan.workloads) {
      const d = new kplus.Deployment(chart, name, {
        metadata: { name },
        replicas: 2,
        containers: [{ image: BENCH_IMAGE, portNumber: WORKLOAD_PORT }],
      });
      d.exposeViaService({ name, ports: [{ port: WORKLOAD_PORT }] });
    }
  }
  return { synth: () => app.synth(), objectCount: () => countApiObjects(app) };
}

/** The label cdk8s-plus-27 selects pods by; the yaml variant writes `<chart>-<name>` where cdk8s appends a hash. */
export const ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

/**
 * The Deployment and Service that `buildPlain` synthesizes for one workload, as plain objects with keys in the order
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

/**
 * yaml (lower bound): the same objects as `plain`, built as object literals and serialized with the `yaml` package
 * (with the options cdk8s uses), one file per chart: what writing these manifests costs without any framework.
 */
export function buildYaml(n: number, outdir: string): BuiltVariant {
  const charts = chartPlan(n).map((plan) => ({
    file: path.join(outdir, `${plan.chart}.k8s.yaml`),
    docs: plan.workloads.flatMap((name) => plainObjects(plan.chart, plan.namespace, name)),
  }));
  return {
    synth: () => {
      fs.mkdirSync(outdir, { recursive: true });
      for (const c of charts) {
        const text = c.docs.map((d) => stringify(d, { keepUndefined: true, lineWidth: 0 })).join('---\n');
        fs.writeFileSync(c.file, text, 'utf8');
      }
    },
    objectCount: () => charts.reduce((sum, c) => sum + c.docs.length, 0),
  };
}

export const BUILDERS: Readonly<Record<SynthVariant, (n: number, outdir: string) => BuiltVariant>> = {
  bulwark: buildBulwark,
  plain: buildPlain,
  yaml: buildYaml,
};
