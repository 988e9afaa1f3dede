import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import {
  BulwarkError,
  DefaultDenyNamespace,
  HardenedCronJob,
  HardenedDeployment,
  HardenedIngress,
  HardenedJob,
  HardenedStatefulSet,
  HealthProbe,
  LeastPrivilegeServiceAccount,
} from '../../lib';
import { apiFieldProblems } from '../../lib/k8s/api-field-rules';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { IMAGE } from '../helpers/charts';

// Issue 14 evidence: arbitrary props, hostile values mixed with good ones, for each construct. Every run either ends
// in a BulwarkError at construction, or writes objects that pass both the API server's name and format rules
// (lib/k8s/api-field-rules) and the Kubernetes OpenAPI schema (scripts/openapi-validate.mjs, kubernetes-models as an
// independent implementation). The counts of inputs tried, refused and accepted are printed.

const ROOT = path.resolve(__dirname, '..', '..');
const RUNS = 150;

/** A name: good DNS labels, and the ways they go wrong (leading digit, upper case, too long, dots, empty). */
const name = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,8}[a-z0-9]$/), weight: 8 },
  fc.stringMatching(/^[0-9][a-z0-9]{0,5}$/),
  fc.integer({ min: 50, max: 70 }).map((n) => `n${'a'.repeat(n - 1)}`),
  fc.constantFrom('API', 'a.b', '', 'a_b', '-a', 'a-'),
);
const int = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 10 }), weight: 8 },
  fc.constantFrom(0, -1, -5, 1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY),
);
const port = fc.oneof(
  { arbitrary: fc.integer({ min: 1024, max: 65535 }), weight: 8 },
  fc.constantFrom(0, -1, 65536, 80, 8080.5),
);
const labelValue = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9]{1,10}$/), weight: 8 },
  fc.string({ maxLength: 70 }),
  fc.integer({ min: 60, max: 70 }).map((n) => 'v'.repeat(n)),
);
const labelKey = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z]{1,8}$/), weight: 4 },
  { arbitrary: fc.stringMatching(/^[a-z]{1,5}\.[a-z]{2,3}\/[a-z]{1,8}$/), weight: 4 },
  fc.string({ maxLength: 20 }),
  fc.constantFrom('a/b/c', '/x', 'x/', 'Caps.io/x'),
);
const labels = fc.option(fc.dictionary(labelKey, labelValue, { maxKeys: 2 }), { nil: undefined, freq: 2 });
const annotations = fc.option(
  fc.oneof(
    {
      arbitrary: fc.dictionary(fc.stringMatching(/^example\.com\/[a-z]{1,8}$/), fc.string({ maxLength: 30 }), {
        maxKeys: 3,
      }),
      weight: 8,
    },
    fc.integer({ min: 200, max: 300 }).map((kb) => ({ 'example.com/blob': 'x'.repeat(kb * 1024) })),
    fc.dictionary(labelKey, fc.string({ maxLength: 10 }), { maxKeys: 2 }),
  ),
  { nil: undefined },
);
const writablePaths = fc.option(
  fc.array(
    fc.oneof(
      { arbitrary: fc.stringMatching(/^\/[a-z]{1,6}(\/[a-z]{1,6})?$/), weight: 10 },
      fc.constantFrom('/var/run/secrets/kubernetes.io/serviceaccount', '/tmp/', '/a//b', '/a/../b', 'tmp'),
    ),
    { maxLength: 3 },
  ),
  { nil: undefined },
);
const timing = fc.option(
  fc.oneof({ arbitrary: fc.integer({ min: 1, max: 30 }), weight: 8 }, fc.constantFrom(-5, 0, 1.5, 2 ** 31)),
  { nil: undefined, freq: 2 },
);
const probe = fc.option(
  fc.record({
    kind: fc.constantFrom('http', 'tcp', 'grpc', 'exec'),
    port: fc.option(fc.oneof({ arbitrary: port, weight: 4 }, fc.constantFrom('main', 'main', 'nope', 'Bad_Name')), {
      nil: undefined,
      freq: 3,
    }),
    path: fc.constantFrom('/healthz', '/'),
    command: fc.constantFrom([] as string[], ['/ready'], ['/ready']),
    periodSeconds: timing,
    initialDelaySeconds: timing,
    timeoutSeconds: timing,
    failureThreshold: timing,
  }),
  { nil: undefined },
);
type ProbeArb = NonNullable<typeof probe extends fc.Arbitrary<infer T> ? T : never>;
function makeProbe(p: ProbeArb | undefined): HealthProbe | undefined {
  if (!p) return undefined;
  const t = {
    periodSeconds: p.periodSeconds,
    initialDelaySeconds: p.initialDelaySeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
  };
  if (p.kind === 'http') return HealthProbe.http(p.path, { ...t, port: p.port });
  if (p.kind === 'tcp') return HealthProbe.tcp({ ...t, port: p.port });
  if (p.kind === 'grpc') return HealthProbe.grpc({ ...t, port: p.port });
  return HealthProbe.exec(p.command, t);
}
const cronField = fc.oneof(
  { arbitrary: fc.constantFrom('*', '*/15', '0', '5', '1-5', '0-6', '?'), weight: 6 },
  fc.constantFrom('99', '7', 'jan', 'mon-fri', '*/0', '5-3', ''),
  fc.integer({ min: 0, max: 100 }).map(String),
);
const schedule = fc.oneof(
  { arbitrary: fc.array(cronField, { minLength: 5, maxLength: 5 }).map((f) => f.join(' ')), weight: 4 },
  fc.array(cronField, { minLength: 4, maxLength: 6 }).map((f) => f.join(' ')),
  fc.constantFrom('@daily', '@hourly', '@every 5m', '@fortnightly', 'TZ=UTC 0 3 * * *', '99 99 99 99 99', ''),
);
const ingressPath = fc.oneof(
  { arbitrary: fc.stringMatching(/^\/[a-z0-9]{0,6}(\/[a-z0-9.]{1,6})?$/), weight: 6 },
  fc.constantFrom('/a;}', '//', '/..', '/a/./b', '/a\nb', '/a b', 'api', '/%2f', '/a/.'),
  fc.string({ maxLength: 12 }).map((s) => `/${s}`),
);
const host = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z]{1,8}\.example\.com$/), weight: 6 },
  fc.constantFrom('10.0.0.1', 'Shop.Example.com', 'localhost', '*.example.com', 'a..b.com'),
);

interface Tally {
  tried: number;
  refused: number;
  accepted: number;
}
const tally: Record<string, Tally> = {};
const accepted: K8sObject[] = [];

/** Builds in a fresh app; returns the synthesized objects, or undefined when a construct refused the input. */
function attempt(construct: string, build: (chart: Chart) => void): K8sObject[] | undefined {
  const t = (tally[construct] ??= { tried: 0, refused: 0, accepted: 0 });
  t.tried++;
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  try {
    build(chart);
    app.synth();
  } catch (e) {
    if (!(e instanceof BulwarkError)) throw e;
    t.refused++;
    return undefined;
  }
  t.accepted++;
  const objects = Testing.synth(chart) as K8sObject[];
  accepted.push(...objects);
  return objects;
}

/** Every accepted object passes the API server's name and format rules. */
function expectApiValid(objects: K8sObject[] | undefined): void {
  for (const o of objects ?? []) {
    const problems = apiFieldProblems(o).map((p) => `${o.kind} ${o.metadata?.name}: ${p.path}: ${p.message}`);
    expect(problems).toEqual([]);
  }
}

const pod = fc.record({
  name,
  port: fc.option(port, { nil: undefined, freq: 6 }),
  labels,
  podAnnotations: annotations,
  writablePaths,
  readinessProbe: probe,
  livenessProbe: probe,
  withToken: fc.boolean(),
});
type PodArb = typeof pod extends fc.Arbitrary<infer T> ? T : never;
function podProps(chart: Chart, p: PodArb) {
  const serviceAccount = p.withToken
    ? new LeastPrivilegeServiceAccount(chart, 'sa', {
        name: 'app-sa',
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['cfg'] }],
      })
    : undefined;
  return {
    name: p.name,
    image: IMAGE,
    ...(p.port !== undefined ? { port: p.port } : {}),
    ...(p.labels ? { labels: p.labels } : {}),
    ...(p.podAnnotations ? { podAnnotations: p.podAnnotations } : {}),
    ...(p.writablePaths ? { writablePaths: p.writablePaths } : {}),
    ...(p.readinessProbe ? { readinessProbe: makeProbe(p.readinessProbe) } : {}),
    ...(p.livenessProbe ? { livenessProbe: makeProbe(p.livenessProbe) } : {}),
    ...(serviceAccount ? { serviceAccount } : {}),
  };
}

describe('arbitrary props: refused, or valid for the API server', () => {
  afterAll(() => {
    const total = Object.values(tally).reduce(
      (a, t) => ({ tried: a.tried + t.tried, refused: a.refused + t.refused, accepted: a.accepted + t.accepted }),
      { tried: 0, refused: 0, accepted: 0 },
    );
    const lines = Object.entries(tally).map(
      ([k, t]) => `  ${k}: ${t.tried} tried, ${t.refused} refused, ${t.accepted} accepted (all valid)`,
    );
    console.log(
      `bad-input property: ${total.tried} inputs tried, ${total.refused} refused at construction, ${total.accepted} accepted, 0 invalid accepted\n${lines.join('\n')}`,
    );
  });

  it('HardenedDeployment', () => {
    fc.assert(
      fc.property(
        pod,
        int,
        fc.option(fc.record({ maxReplicas: int, minReplicas: fc.option(int, { nil: undefined }) }), { nil: undefined }),
        fc.boolean(),
        (p, replicas, autoscaling, lb) => {
          expectApiValid(
            attempt('HardenedDeployment', (c) => {
              new HardenedDeployment(c, 'app', {
                ...podProps(c, p),
                ...(autoscaling ? { autoscaling } : { replicas }),
                ...(lb
                  ? {
                      loadBalancer: { sourceRanges: ['203.0.113.0/24'] },
                      exemptions: [{ rule: 'service-loadbalancer', reason: 'UDP game server' }],
                    }
                  : {}),
              });
            }),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('HardenedStatefulSet', () => {
    fc.assert(
      fc.property(pod, int, fc.oneof(fc.constantFrom('1Gi', '0', '10G', '-1Gi', '1GB')), (p, replicas, size) => {
        expectApiValid(
          attempt('HardenedStatefulSet', (c) => {
            new HardenedStatefulSet(c, 'db', {
              ...podProps(c, p),
              replicas,
              volumeClaims: [{ name: 'data', mountPath: '/var/lib/data', size }],
            });
          }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('HardenedJob and HardenedCronJob', () => {
    fc.assert(
      fc.property(
        pod,
        int,
        int,
        schedule,
        fc.constantFrom(undefined, undefined, undefined, 'Europe/Paris', 'Europe/Paris', 'Local', 'Mars/Olympus', ''),
        fc.boolean(),
        (p, completions, history, sched, timeZone, cron) => {
          const props = { ...p, port: undefined };
          expectApiValid(
            cron
              ? attempt('HardenedCronJob', (c) => {
                  new HardenedCronJob(c, 'job', {
                    ...podProps(c, props),
                    schedule: sched,
                    ...(timeZone !== undefined ? { timeZone } : {}),
                    successfulJobsHistoryLimit: history,
                  });
                })
              : attempt('HardenedJob', (c) => {
                  new HardenedJob(c, 'job', { ...podProps(c, props), completions });
                }),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('HardenedIngress', () => {
    fc.assert(
      fc.property(
        name,
        fc.array(host, { minLength: 1, maxLength: 2 }),
        fc.array(ingressPath, { maxLength: 3 }),
        (n, hosts, paths) => {
          expectApiValid(
            attempt('HardenedIngress', (c) => {
              const backend = new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080 });
              new HardenedIngress(c, 'web', {
                name: n,
                backend,
                hosts,
                ...(paths.length ? { paths } : {}),
                tls: { clusterIssuer: 'letsencrypt' },
                exemptions: [{ rule: 'ingress-wildcard-host', reason: 'tenant subdomains' }],
              });
            }),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('DefaultDenyNamespace', () => {
    fc.assert(
      fc.property(name, labels, (n, l) => {
        expectApiValid(
          attempt('DefaultDenyNamespace', (c) => {
            new DefaultDenyNamespace(c, 'ns', { name: n, ...(l ? { labels: l } : {}) });
          }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('every accepted object is valid against the Kubernetes OpenAPI schema', () => {
    expect(accepted.length).toBeGreaterThan(100);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-api-valid-'));
    try {
      const file = path.join(dir, 'accepted.yaml');
      fs.writeFileSync(file, accepted.map((o) => stringify(o)).join('---\n'));
      const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'openapi-validate.mjs'), file], {
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^openapi: \d+ valid, 0 invalid/);
      expect(run.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
