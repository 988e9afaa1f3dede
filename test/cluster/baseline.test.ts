import { ApiObject, App, Chart } from 'cdk8s';
import { defaultBaseline, pssVersionFor, synthesizeObjects } from '../../lib/cluster/baseline/baseline-content';
import { ClusterBaseline } from '../../lib/cluster/baseline/cluster-baseline';
import { MockRun, runUnderMocks } from '../../lib/cluster/plan/run-under-mocks';
import { PlannedResource } from '../../lib/cluster/posture/planned-resource';
import { DefaultDenyNamespace } from '../../lib/namespaces/default-deny-namespace';
import { NEWEST_PSS_MINOR } from '../../lib/policy/pss-version';

const echo = {
  newResource: (a: { name: string; inputs: Record<string, unknown> }) => ({ id: `${a.name}-id`, state: a.inputs }),
  call: () => ({}),
};

function content(): App {
  const app = new App();
  const chart = new Chart(app, 'base');
  new DefaultDenyNamespace(chart, 'team-a');
  new ApiObject(chart, 'policy', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'no-latest' },
    spec: { validations: [{ expression: 'true' }] },
  });
  return app;
}

describe('baseline content', () => {
  it('synthesizes the admission policies and one DefaultDenyNamespace per namespace, in memory', () => {
    const objects = synthesizeObjects(() =>
      defaultBaseline({ namespaces: ['payments', 'ledger'], kubernetesVersion: '1.31' }),
    );
    const admission = objects.filter((o) => o.apiVersion === 'admissionregistration.k8s.io/v1');
    const policies = admission.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies.length).toBeGreaterThan(10);
    expect(admission.length).toBe(2 * policies.length);
    expect(policies.every((p) => p.metadata?.namespace === undefined)).toBe(true);
    const psaVersions = new Set(
      policies.map(
        (p) => (p.metadata as { annotations?: Record<string, string> }).annotations?.['bulwark.dev/pss-version'],
      ),
    );
    expect([...psaVersions].filter((v) => v !== undefined)).toEqual(['v1.31']);
    expect(
      objects
        .filter((o) => !admission.includes(o))
        .map((o) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`),
    ).toEqual([
      'CustomResourceDefinition /exemptiongrantsets.bulwark.dev',
      'ExemptionGrantSet /bulwark',
      'ClusterRole /bulwark-exemption-grant-editor',
      'ClusterRole /bulwark-exemption-grant-viewer',
      'Namespace /payments',
      'NetworkPolicy payments/default-deny-all',
      'NetworkPolicy payments/allow-dns',
      'ResourceQuota payments/default-quota',
      'LimitRange payments/default-limits',
      'ServiceAccount payments/default',
      'Namespace /ledger',
      'NetworkPolicy ledger/default-deny-all',
      'NetworkPolicy ledger/allow-dns',
      'ResourceQuota ledger/default-quota',
      'LimitRange ledger/default-limits',
      'ServiceAccount ledger/default',
    ]);
    const ns = objects.find((o) => o.kind === 'Namespace') as unknown as {
      metadata: { labels: Record<string, string> };
    };
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.31');
  });

  it('installs the exemption grants of the stack in the grant set the policies read (empty by default)', () => {
    const grant = {
      namespace: 'payments',
      kind: 'DaemonSet',
      name: 'ledger-agent',
      rule: 'pss-baseline-host-namespaces',
      reason: 'reads host process metrics',
      approver: 'platform-team (TICKET-9)',
      expires: '2099-01-01T00:00:00Z',
    };
    const setOf = (objects: ReturnType<typeof synthesizeObjects>) =>
      objects.find((o) => o.kind === 'ExemptionGrantSet') as unknown as { spec: { grants: unknown[] } };
    const base = { namespaces: ['payments'], kubernetesVersion: '1.31' };
    expect(setOf(synthesizeObjects(() => defaultBaseline(base))).spec.grants).toEqual([]);
    expect(setOf(synthesizeObjects(() => defaultBaseline({ ...base, exemptionGrants: [grant] }))).spec.grants).toEqual([
      grant,
    ]);
  });

  it('pins the PSS version of the cluster, or the newest the catalog knows for a newer cluster', () => {
    expect(pssVersionFor('1.30')).toBe('v1.30');
    expect(pssVersionFor('1.99')).toBe(`v1.${NEWEST_PSS_MINOR}`);
  });

  it("runs the constructs' validations as cdk8s synth does, so the catalog refuses a bad baseline", () => {
    const app = new App();
    const chart = new Chart(app, 'base');
    new DefaultDenyNamespace(chart, 'team-a');
    chart.node.addValidation({ validate: () => ['a Pod runs privileged'] });
    expect(() => synthesizeObjects(app)).toThrow(
      'the cluster baseline failed validation:\n  [base] a Pod runs privileged',
    );
  });

  it('accepts a Chart as well as an App', () => {
    const chart = content().charts[0];
    expect(synthesizeObjects(chart).map((o) => o.kind)).toContain('ValidatingAdmissionPolicy');
  });
});

describe('ClusterBaseline under mocks', () => {
  let run: MockRun;
  beforeAll(async () => {
    run = await runUnderMocks(
      () => {
        const b = new ClusterBaseline('base', { kubeconfig: 'KUBECONFIG OF THE NEW CLUSTER', content });
        return { objects: b.objectCount };
      },
      { project: 'p', stack: 's', mocks: echo },
    );
  });
  const byName = (name: string): PlannedResource => {
    const r = run.resources.find((x) => x.name === name);
    if (!r) throw new Error(`no ${name} in ${run.resources.map((x) => x.name).join(', ')}`);
    return r;
  };

  it('builds a Kubernetes provider from the given kubeconfig, with server-side apply', () => {
    expect(byName('base-k8s')).toMatchObject({
      type: 'pulumi:providers:kubernetes',
      inputs: { kubeconfig: 'KUBECONFIG OF THE NEW CLUSTER', enableServerSideApply: 'true' },
    });
  });

  it('registers every synthesized object as a typed resource through that provider: cluster-scoped and namespaced groups', () => {
    const provider = byName('base-k8s');
    const providerRef = `${provider.urn}::${provider.id}`;
    const clusterScoped = byName('base-cluster-scoped');
    const namespaced = byName('base-namespaced');
    expect([clusterScoped.type, namespaced.type]).toEqual([
      'kubernetes:yaml:ConfigGroup',
      'kubernetes:yaml:ConfigGroup',
    ]);
    const objects = run.resources.filter((r) => r.custom && r.type.startsWith('kubernetes:'));
    expect(objects.map((o) => [o.type, o.name, o.parent === clusterScoped.urn ? 'cluster' : 'namespaced'])).toEqual([
      ['kubernetes:core/v1:Namespace', 'base-team-a', 'cluster'],
      ['kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy', 'base-no-latest', 'cluster'],
      ['kubernetes:networking.k8s.io/v1:NetworkPolicy', 'base-team-a/default-deny-all', 'namespaced'],
      ['kubernetes:networking.k8s.io/v1:NetworkPolicy', 'base-team-a/allow-dns', 'namespaced'],
      ['kubernetes:core/v1:ResourceQuota', 'base-team-a/default-quota', 'namespaced'],
      ['kubernetes:core/v1:LimitRange', 'base-team-a/default-limits', 'namespaced'],
      ['kubernetes:core/v1:ServiceAccount', 'base-team-a/default', 'namespaced'],
    ]);
    expect(objects.every((o) => o.provider === providerRef)).toBe(true);
    expect(byName('base-team-a/default-deny-all').inputs).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-all', namespace: 'team-a' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(run.outputs.objects).toBe(7);
  });
});
