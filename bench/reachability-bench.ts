/**
 * Reachability at scale: `networkGraphOf` on generated apps of N workloads (100 per namespace, each namespace
 * default-deny with DNS egress, each workload admitting the one before it and egressing to the one after, the shape
 * bulwark's constructs write), against the pair-by-pair definition (the test oracle) measured in the same run.
 *   npx tsx bench/reachability-bench.ts [--sizes 1000,2000,5000,10000] [--runs 3] [--reference-up-to 2000]
 */
import { networkGraphOf } from '../lib/graph/reachability';
import { K8sObject } from '../lib/k8s/k8s-object';
import { referenceConnections } from '../test/graph/reachability-reference';
import { linearFit, median, ratio, round } from './stats';

export function reachabilityApp(n: number, perNamespace = 100): K8sObject[] {
  const objects: K8sObject[] = [];
  const namespaces = Math.ceil(n / perNamespace);
  for (let s = 0; s < namespaces; s++) {
    const ns = `ns-${s}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
      },
    });
  }
  for (let i = 0; i < n; i++) {
    const ns = `ns-${Math.floor(i / perNamespace)}`;
    const app = `w${i}`;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: ns },
      spec: {
        template: {
          metadata: { labels: { app, 'app.kubernetes.io/part-of': 'bench' } },
          spec: {
            containers: [
              { name: 'main', image: 'r.example/x@sha256:0', ports: [{ containerPort: 8080, name: 'http' }] },
            ],
          },
        },
      },
    });
    if (i === 0) continue;
    const prev = `w${i - 1}`;
    const prevNs = `ns-${Math.floor((i - 1) / perNamespace)}`;
    const peer = {
      podSelector: { matchLabels: { app: prev } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': prevNs } },
    };
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${app}-ingress`, namespace: ns },
      spec: {
        podSelector: { matchLabels: { app } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [peer], ports: [{ port: 'http' }] }],
      },
    });
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${prev}-egress`, namespace: prevNs },
      spec: {
        podSelector: { matchLabels: { app: prev } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                podSelector: { matchLabels: { app } },
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
              },
            ],
            ports: [{ port: 8080 }],
          },
        ],
      },
    });
  }
  return objects;
}

function time(fn: () => unknown, runs: number): { ms: number; result: unknown } {
  const times: number[] = [];
  let result: unknown;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(times), result };
}

function main(argv: readonly string[]): void {
  const arg = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
  };
  const sizes = arg('--sizes', '1000,2000,5000,10000').split(',').map(Number);
  const runs = Number(arg('--runs', '3'));
  const referenceUpTo = Number(arg('--reference-up-to', '2000'));
  const rows: string[] = [
    '| workloads | objects | connections | indexed (ms) | pair by pair (ms) | pair by pair / indexed |',
    '|---:|---:|---:|---:|---:|---:|',
  ];
  const points: { x: number; y: number }[] = [];
  for (const n of sizes) {
    const objects = reachabilityApp(n);
    const indexed = time(() => networkGraphOf(objects), runs);
    const graph = networkGraphOf(objects);
    points.push({ x: n, y: indexed.ms });
    let reference = Number.NaN;
    if (n <= referenceUpTo) {
      const r = time(() => referenceConnections(objects, graph), 1);
      reference = r.ms;
      const pairs = graph.connections.filter((c) => !c.outside).length;
      if ((r.result as string[]).length !== pairs)
        throw new Error(
          `at ${n}: the reference found ${(r.result as string[]).length} connections, the index ${pairs}`,
        );
    }
    rows.push(
      `| ${n} | ${objects.length} | ${graph.connections.length} | ${round(indexed.ms, 0)} | ${Number.isNaN(reference) ? '—' : round(reference, 0)} | ${Number.isNaN(reference) ? '—' : `${round(ratio(reference, indexed.ms), 1)}×`} |`,
    );
  }
  const fit = linearFit(points);
  console.log(rows.join('\n'));
  console.log(
    `\nlinear fit of the indexed time: ${round(fit.slope * 1000, 1)} ms per 1,000 workloads, R² ${round(fit.r2, 4)}`,
  );
}

if (require.main === module) main(process.argv.slice(2));
