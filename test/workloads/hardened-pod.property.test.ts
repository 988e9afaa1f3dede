import * as fc from 'fast-check';
import { Chart, Testing } from 'cdk8s';
import {
  HardenedCronJob,
  HardenedDeployment,
  HardenedDeploymentProps,
  HardenedJob,
  HardenedStatefulSet,
  HealthProbe,
  LeastPrivilegeServiceAccount,
} from '../../lib';
import { audit, K8sObject, NEWEST_PSS_MINOR, podViewOf, containersOf } from '../../lib/policy';

const hex = fc.stringMatching(/^[a-f0-9]{64}$/);
const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const image = fc
  .record({
    registry: fc.constantFrom('ghcr.io', 'registry.example.com:5000', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'),
    repo: fc.array(segment, { minLength: 1, maxLength: 3 }),
    digest: hex,
  })
  .map((r) => `${r.registry}/${r.repo.join('/')}@sha256:${r.digest}`);
const milli = fc.integer({ min: 1, max: 8000 });
const mebi = fc.integer({ min: 1, max: 16384 });
const writablePaths = fc.uniqueArray(
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`),
  {
    maxLength: 4,
    selector: (p) => p.replace(/[^a-z0-9]+/g, '-'),
  },
);

/** Init containers and sidecars: the same knobs as the main container, ports far from the main one's. */
const extra = (prefix: string, withPorts: boolean) =>
  fc
    .array(
      fc.record({
        image,
        cpu: fc.tuple(milli, milli),
        writablePaths,
        port: fc.integer({ min: 20000, max: 29999 }),
        netBindService: fc.boolean(),
        fieldEnv: fc.boolean(),
      }),
      { maxLength: 2 },
    )
    .map((list) =>
      list.map((c, i) => ({
        name: `${prefix}${i}`,
        image: c.image,
        cpuRequest: `${Math.min(...c.cpu)}m`,
        cpuLimit: `${Math.max(...c.cpu)}m`,
        writablePaths: c.writablePaths,
        netBindService: c.netBindService,
        ...(withPorts ? { ports: [{ name: `${prefix}${i}`, port: c.port + i * 10000 }] } : {}),
        ...(c.fieldEnv ? { fieldEnv: { POD_NAME: 'metadata.name' } } : {}),
      })),
    );

const props: fc.Arbitrary<HardenedDeploymentProps & { withRules: boolean }> = fc
  .record({
    image,
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    replicas: fc.integer({ min: 1, max: 10 }),
    cpu: fc.tuple(milli, milli),
    memory: fc.tuple(mebi, mebi),
    writablePaths,
    runAsUser: fc.integer({ min: 1, max: 2147483647 }),
    runAsGroup: fc.integer({ min: 1, max: 2147483647 }),
    env: fc.dictionary(
      fc
        .stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/)
        .filter((n) => !/(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i.test(n)),
      fc.string({ maxLength: 20 }),
      { maxKeys: 3 },
    ),
    withRules: fc.boolean(),
    sidecars: extra('side', true),
    initContainers: extra('init', false),
  })
  .map((r) => ({
    image: r.image,
    port: r.port,
    // Low ports need NET_BIND_SERVICE (the one capability a hardened pod may add).
    netBindService: r.port !== undefined && r.port < 1024,
    replicas: r.replicas,
    cpuRequest: `${Math.min(...r.cpu)}m`,
    cpuLimit: `${Math.max(...r.cpu)}m`,
    memoryRequest: `${Math.min(...r.memory)}Mi`,
    memoryLimit: `${Math.max(...r.memory)}Mi`,
    writablePaths: r.writablePaths,
    runAsUser: r.runAsUser,
    runAsGroup: r.runAsGroup,
    fsGroup: r.runAsGroup,
    env: r.env,
    ...(r.port === undefined
      ? { readinessProbe: HealthProbe.exec(['/ready']), livenessProbe: HealthProbe.exec(['/live']) }
      : {}),
    withRules: r.withRules,
    // Containers of a pod share its network: a sidecar never listens on the main container's port.
    sidecars: r.sidecars.map((c) =>
      c.ports?.[0].port === r.port ? { ...c, ports: [{ ...c.ports![0], port: c.ports![0].port + 1 }] } : c,
    ),
    initContainers: r.initContainers,
  }));

type Kind = 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob';
const kinds = fc.constantFrom<Kind>('Deployment', 'StatefulSet', 'Job', 'CronJob');

function synthOne(p: HardenedDeploymentProps & { withRules: boolean }, kind: Kind): K8sObject[] {
  const chart = new Chart(Testing.app(), 'prop', { namespace: 'prop' });
  const serviceAccount = p.withRules
    ? new LeastPrivilegeServiceAccount(chart, 'sa', {
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['cfg'] }],
      })
    : undefined;
  // Only what each kind declares: a construct refuses props its type does not have (withRules is this test's own;
  // replicas means nothing to a Job).
  const { withRules: _, replicas, ...pod } = p;
  const props = { ...pod, serviceAccount };
  if (kind === 'Deployment') new HardenedDeployment(chart, 'app', { ...props, replicas });
  if (kind === 'StatefulSet') {
    new HardenedStatefulSet(chart, 'app', {
      ...props,
      replicas: replicas ?? 1,
      volumeClaims: [{ name: 'data', mountPath: '/var/lib/data', size: '1Gi' }],
      writablePaths: (p.writablePaths ?? []).filter((w) => w !== '/var/lib/data'),
    });
  }
  if (kind === 'Job') new HardenedJob(chart, 'app', props);
  if (kind === 'CronJob') new HardenedCronJob(chart, 'app', { ...props, schedule: '*/5 * * * *' });
  return Testing.synth(chart) as K8sObject[];
}

const workload = (objects: K8sObject[], kind: Kind) => objects.find((o) => o.kind === kind) as K8sObject;

describe('every hardened workload kind, for any valid props', () => {
  it('synthesizes a pod template that meets every Pod Security restricted control, at every version', () => {
    fc.assert(
      fc.property(props, kinds, fc.integer({ min: 0, max: NEWEST_PSS_MINOR }), (p, kind, minor) => {
        const objects = synthOne(p, kind);
        const pss = audit([workload(objects, kind)], { level: 'restricted', pssVersion: `v1.${minor}`, only: ['pss'] });
        expect(pss.findings).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('meets the restricted requirements field by field, and the whole catalog finds no error', () => {
    fc.assert(
      fc.property(props, kinds, (p, kind) => {
        const objects = synthOne(p, kind);
        const pod = podViewOf(workload(objects, kind))!;
        const spec = pod.spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(spec.securityContext.runAsNonRoot).toBe(true);
        expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
        expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
        expect(spec.hostNetwork ?? false).toBe(false);
        expect(spec.hostPID ?? false).toBe(false);
        expect(spec.hostIPC ?? false).toBe(false);
        expect(spec.automountServiceAccountToken).toBe(false);
        const volumes = (spec.volumes ?? []) as Record<string, unknown>[];
        expect(volumes.some((v) => v.name === 'kube-api-access')).toBe(p.withRules);
        for (const v of volumes) {
          expect(Object.keys(v).sort()).toEqual(
            v.name === 'kube-api-access' ? ['name', 'projected'] : ['emptyDir', 'name'],
          );
        }
        const specs = new Map([
          ['app', p as { netBindService?: boolean; writablePaths?: readonly string[] }],
          ...[...(p.sidecars ?? []), ...(p.initContainers ?? [])].map((c) => [c.name, c] as const),
        ]);
        const containers = containersOf(pod);
        // Every container of the pod: main, native sidecars (restartPolicy Always) and init containers.
        expect(containers.map((c) => c.container.name).sort()).toEqual([...specs.keys()].sort());
        expect(
          spec.initContainers?.filter((c: { restartPolicy?: string }) => c.restartPolicy === 'Always').length ?? 0,
        ).toBe((p.sidecars ?? []).length);
        for (const c of containers) {
          const given = specs.get(c.container.name as string)!;
          const sc = c.container.securityContext as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
          expect(sc.allowPrivilegeEscalation).toBe(false);
          expect(sc.privileged).toBe(false);
          expect(sc.readOnlyRootFilesystem).toBe(true);
          expect(sc.runAsNonRoot).toBe(true);
          expect(sc.runAsUser).toBe(p.runAsUser);
          expect(sc.runAsGroup).toBe(p.runAsGroup);
          expect(sc.seccompProfile).toEqual({ type: 'RuntimeDefault' });
          expect(sc.capabilities.drop).toEqual(['ALL']);
          expect(sc.capabilities.add ?? []).toEqual(given.netBindService ? ['NET_BIND_SERVICE'] : []);
          expect(c.container.imagePullPolicy).toBe('Always');
          const resources = c.container.resources as Record<string, Record<string, string>>;
          expect(Object.keys(resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
          expect(Object.keys(resources.requests).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
          const mounts = (c.container.volumeMounts ?? []) as { mountPath: string }[];
          for (const w of given.writablePaths ?? ['/tmp']) expect(mounts.map((m) => m.mountPath)).toContain(w);
          expect((c.container.ports as { hostPort?: number }[] | undefined)?.some((x) => x.hostPort) ?? false).toBe(
            false,
          );
        }
        const all = audit(objects);
        expect(all.findings.filter((f) => f.severity === 'error')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
