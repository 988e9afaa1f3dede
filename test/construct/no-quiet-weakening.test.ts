import { App, JsonPatch, Testing } from 'cdk8s';
import type { Volume } from 'kubernetes-types/core/v1';
import {
  DefaultDenyNamespace,
  HardenedCronJob,
  HardenedDeployment,
  HardenedJob,
  HardenedStatefulSet,
  ISecretSource,
} from '../../lib';
import { errorOf, IMAGE, shopChart } from '../helpers/charts';

// Issue 14: props and tree edits that removed hardening without an exemption. Each is refused (or fails synth) with a
// message naming the construct, the prop, the value and the fix; the legitimate use next to it still works.

const base = { image: IMAGE, port: 8080 };

describe('resource quantities: no zero, no unbounded, in every container', () => {
  const containers = {
    main: (extra: object) => ({ ...base, ...extra }),
    init: (extra: object) => ({ ...base, initContainers: [{ name: 'setup', image: IMAGE, ...extra }] }),
    sidecar: (extra: object) => ({ ...base, sidecars: [{ name: 'proxy', image: IMAGE, ...extra }] }),
  };
  const prefix = { main: '', init: 'initContainers[0].', sidecar: 'sidecars[0].' };

  for (const [role, props] of Object.entries(containers) as [keyof typeof containers, typeof containers.main][]) {
    it(`refuses a zero limit (an unbounded container) on the ${role} container`, () => {
      const { chart } = shopChart();
      expect(errorOf(() => new HardenedDeployment(chart, 'api', props({ cpuLimit: '0' })))).toBe(
        `HardenedDeployment at 'shop/api': prop '${prefix[role]}cpuLimit' received "0" (a limit of 0 means no limit at all: the container may use the whole node). Allowed: a quantity above 0 and at most 1024 (cores). Fix: set the most the container may use, e.g. "500m"`,
      );
    });
  }

  it.each([
    ['memoryLimit', '0', 'a limit of 0 means no limit at all: the container may use the whole node'],
    ['memoryLimit', '0Mi', 'a limit of 0 means no limit at all: the container may use the whole node'],
    ['ephemeralStorageLimit', '0', 'a limit of 0 means no limit at all: the container may use the whole node'],
    ['memoryLimit', '1e400', 'not a Kubernetes quantity'],
    ['memoryLimit', '64Pi', 'larger than any node: the same as no limit'],
    ['cpuLimit', '100k', 'larger than any node: the same as no limit'],
    ['writablePathSizeLimit', '0', 'a size limit of 0 means no limit at all: the emptyDir may fill the node'],
  ])('refuses %s %j', (prop, value, problem) => {
    const { chart } = shopChart();
    expect(errorOf(() => new HardenedDeployment(chart, 'api', { ...base, [prop]: value }))).toContain(
      `prop '${prop}' received ${JSON.stringify(value)} (${problem})`,
    );
  });

  it('refuses a zero request together with a zero limit (requests 0 do not by themselves weaken)', () => {
    const { chart } = shopChart();
    expect(errorOf(() => new HardenedJob(chart, 'job', { image: IMAGE, cpuRequest: '0', cpuLimit: '0' }))).toContain(
      'prop \'cpuLimit\' received "0"',
    );
    const ok = shopChart();
    new HardenedJob(ok.chart, 'job', { image: IMAGE, cpuRequest: '0', cpuLimit: '250m' });
    expect(() => Testing.synth(ok.chart)).not.toThrow();
  });

  it('accepts large but real limits', () => {
    const { chart } = shopChart();
    new HardenedStatefulSet(chart, 'db', { ...base, replicas: 1, cpuLimit: '64', memoryLimit: '512Gi' });
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});

describe('DefaultDenyNamespace', () => {
  it('refuses a quota that lifts the LoadBalancer or NodePort cap without the rule exemption', () => {
    const { chart } = shopChart();
    expect(errorOf(() => new DefaultDenyNamespace(chart, 'ns', { quota: { 'services.loadbalancers': '3' } }))).toBe(
      `DefaultDenyNamespace at 'shop/ns': prop 'quota['services.loadbalancers']' received "3" (lifts the namespace's cap of 0 LoadBalancer Services). Allowed: "0", or a higher cap with the exemption { rule: 'service-loadbalancer', reason } on this namespace. Fix: expose workloads through a HardenedIngress, or add exemptions: [{ rule: 'service-loadbalancer', reason: '<why this namespace needs LoadBalancer Services>' }]`,
    );
    expect(
      errorOf(() => new DefaultDenyNamespace(shopChart().chart, 'ns', { quota: { 'services.nodeports': '1' } })),
    ).toContain("{ rule: 'service-nodeport', reason }");
  });

  it('lifts the cap with the exemption, recorded on the ResourceQuota for every audit', () => {
    const { chart } = shopChart();
    new DefaultDenyNamespace(chart, 'ns', {
      quota: { 'services.loadbalancers': '2' },
      exemptions: [{ rule: 'service-loadbalancer', reason: 'public gRPC edge, reviewed in SEC-12' }],
    });
    const quota = Testing.synth(chart).find((o) => o.kind === 'ResourceQuota');
    expect(quota.spec.hard['services.loadbalancers']).toBe('2');
    expect(quota.metadata.annotations).toEqual({
      'exempt.bulwark.dev/service-loadbalancer': 'public gRPC edge, reviewed in SEC-12',
    });
  });

  it('refuses a removed or unparsable cap', () => {
    const { chart } = shopChart();
    expect(
      errorOf(
        () =>
          new DefaultDenyNamespace(chart, 'ns', {
            quota: { 'services.nodeports': undefined as unknown as string },
          }),
      ),
    ).toContain("prop 'quota['services.nodeports']' received undefined");
  });

  it.each(['v1.0', 'v1.22', 'v1.29', '1.25'])('refuses podSecurityVersion %s (older versions check less)', (v) => {
    const { chart } = shopChart();
    expect(errorOf(() => new DefaultDenyNamespace(chart, 'ns', { podSecurityVersion: v }))).toBe(
      `DefaultDenyNamespace at 'shop/ns': prop 'podSecurityVersion' received ${JSON.stringify(v)} (older Pod Security Standards versions drop checks of the restricted profile). Allowed: a pinned version from v1.30 to v1.37 ('latest' is not pinned). Fix: use the cluster's minor version, e.g. 'v1.30'`,
    );
  });
});

describe('removing a hardening object from the tree fails synth', () => {
  const synthErrors = (app: App): string => errorOf(() => app.synth());

  it('a workload without its ingress NetworkPolicy', () => {
    const { app, chart } = shopChart();
    const api = new HardenedDeployment(chart, 'api', base);
    api.node.findChild('NetworkPolicies').node.tryRemoveChild('Ingress');
    expect(synthErrors(app)).toContain(
      "shop/api/NetworkPolicies/Ingress: NetworkPolicy shop/api-ingress of HardenedDeployment 'shop/api' was removed from the tree (node.tryRemoveChild); without it the workload's pods accept traffic from anywhere. Fix: keep it; open what the workload needs with allowFrom/allowTo",
    );
  });

  it('a workload without its NetworkPolicies construct', () => {
    const { app, chart } = shopChart();
    const api = new HardenedDeployment(chart, 'api', base);
    const peer = new HardenedDeployment(chart, 'web', base);
    peer.allowTo(api);
    peer.node.tryRemoveChild('NetworkPolicies');
    const msg = synthErrors(app);
    expect(msg).toContain("NetworkPolicy shop/web-ingress of HardenedDeployment 'shop/web' was removed");
    expect(msg).toContain("NetworkPolicy shop/web-egress of HardenedDeployment 'shop/web' was removed");
  });

  it('a namespace without its default-deny policy, quota, limits or default ServiceAccount', () => {
    for (const child of ['DefaultDeny', 'Quota', 'Limits', 'DefaultServiceAccount']) {
      const { app, chart } = shopChart();
      const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
      ns.node.tryRemoveChild(child);
      expect(synthErrors(app)).toMatch(
        new RegExp(`shop/ns/${child}: .* of DefaultDenyNamespace 'shop/ns' was removed from the tree`),
      );
    }
  });

  it('a patch that opens the default-deny policy or the workload policy', () => {
    const { app, chart } = shopChart();
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    (ns.node.findChild('DefaultDeny') as unknown as { addJsonPatch(p: JsonPatch): void }).addJsonPatch(
      JsonPatch.add('/spec/ingress', [{}]),
    );
    expect(synthErrors(app)).toContain(
      "shop/ns/DefaultDeny: NetworkPolicy shop/default-deny-all of DefaultDenyNamespace 'shop/ns' was changed after it was built (spec.ingress); it must render as the construct wrote it",
    );
    const two = shopChart();
    const api = new HardenedDeployment(two.chart, 'api', base);
    (
      api.node.findChild('NetworkPolicies').node.findChild('Ingress') as unknown as {
        addJsonPatch(p: JsonPatch): void;
      }
    ).addJsonPatch(JsonPatch.replace('/spec/podSelector', {}));
    expect(synthErrors(two.app)).toContain('was changed after it was built (spec.podSelector)');
  });

  it('leaves an untouched app alone', () => {
    const { app, chart } = shopChart();
    new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    const api = new HardenedDeployment(chart, 'api', base);
    new HardenedCronJob(chart, 'nightly', { image: IMAGE, schedule: '0 3 * * *' }).allowTo(api);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('secret sources', () => {
  const source = (volume: Omit<Volume, 'name'>): ISecretSource => ({
    namespace: 'shop',
    description: 'CustomSource shop/tokens',
    hasKey: () => false,
    _volume: () => volume,
  });

  it('refuses a custom source projecting a 10-year token', () => {
    const { chart } = shopChart();
    const tenYears = source({
      projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 315360000 } }] },
    });
    expect(
      errorOf(
        () =>
          new HardenedDeployment(chart, 'api', {
            ...base,
            secretFiles: [{ source: tenYears, mountPath: '/var/run/secrets/t' }],
          }),
      ),
    ).toBe(
      `HardenedDeployment at 'shop/api': prop 'secretFiles[0].source' received "CustomSource shop/tokens" (its volume is projected (serviceAccountToken), not a Secret or a Secrets Store CSI volume: a service account token with expirationSeconds 315360000 would outlive the pod). Allowed: a source whose volume is a Secret (ExternalSecret) or a secrets-store.csi.k8s.io CSI volume (SecretProviderClass). Fix: use an ExternalSecret or a SecretProviderClass; a workload's API token comes from its LeastPrivilegeServiceAccount (one hour, bound to the pod)`,
    );
  });

  it.each([
    ['a hostPath', { hostPath: { path: '/etc' } }],
    ['an unrelated CSI driver', { csi: { driver: 'evil.example.com', readOnly: true } }],
    ['a writable CSI volume', { csi: { driver: 'secrets-store.csi.k8s.io', readOnly: false } }],
    ['a world-readable Secret', { secret: { secretName: 'db', defaultMode: 0o644 } }],
  ])('refuses %s', (_what, volume) => {
    const { chart } = shopChart();
    expect(
      errorOf(
        () =>
          new HardenedDeployment(chart, 'api', { ...base, secretFiles: [{ source: source(volume), mountPath: '/s' }] }),
      ),
    ).toContain('prop \'secretFiles[0].source\' received "CustomSource shop/tokens"');
  });
});

describe('other props', () => {
  it.each(['system-node-critical', 'system-cluster-critical'])('refuses priorityClassName %s', (name) => {
    const { chart } = shopChart();
    expect(errorOf(() => new HardenedDeployment(chart, 'api', { ...base, priorityClassName: name }))).toBe(
      `HardenedDeployment at 'shop/api': prop 'priorityClassName' received ${JSON.stringify(name)} (a system priority lets the pods preempt and outlive node and cluster components). Allowed: a PriorityClass of your own (names starting with 'system-' are Kubernetes'). Fix: create a PriorityClass for the workload's tier, e.g. "business-critical"`,
    );
  });

  it('refuses AppArmor unconfined through podAnnotations at synth', () => {
    const { app, chart } = shopChart();
    new HardenedDeployment(chart, 'api', {
      ...base,
      podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/api': 'unconfined' },
    });
    expect(errorOf(() => app.synth())).toContain('pss-baseline-apparmor');
  });
});
