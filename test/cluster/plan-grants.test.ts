import * as path from 'path';
import type * as pulumi from '@pulumi/pulumi';
import { planStack } from '../../lib/cluster/plan/plan-stack';
import { formatPlanText, planJson } from '../../lib/cluster/plan/plan-report';
import { emptyManifests, parseManifestText } from '../../lib/manifest/manifests';

/**
 * The exemption grants a stack installs, in `bulwark plan` (text and --json, with the control
 * baseline-exemption-grants), on every path a private cluster's baseline takes: the baseline stack of a separate-stack
 * cluster (eks-prod-baseline), the GitOps output of a gitops cluster (aks-prod), in-program (gke-prod, none).
 */
const ROOT = path.join(__dirname, '..', '..');
const FRAUD = {
  rule: 'image-digest',
  namespace: 'payments',
  object: 'Deployment/fraud-scorer',
  reason: "vendor publishes signed tags only; digest pinned by the vendor's admission (SEC-204)",
  approver: 'platform-team (SEC-204)',
  expires: '2030-06-30T00:00:00Z',
  expired: false,
};

jest.setTimeout(240_000);

describe('bulwark plan shows the exemption grants of a stack', () => {
  it('separate-stack: the cluster stack exports its grants to the baseline stack, which installs them', async () => {
    const cluster = await planStack('eks-prod', { cwd: ROOT });
    expect(cluster.exemptionGrants).toEqual({ source: 'configured', grants: [FRAUD] });
    expect((cluster.outputs.baselineSpec as { exemptionGrants: unknown }).exemptionGrants).toEqual([
      {
        namespace: 'payments',
        kind: 'Deployment',
        name: 'fraud-scorer',
        rule: 'image-digest',
        reason: FRAUD.reason,
        approver: FRAUD.approver,
        expires: FRAUD.expires,
      },
    ]);
    expect(formatPlanText(cluster)).toContain(
      'Exemption grants (1, configured; the baseline stack installs them from the baselineSpec output):\n' +
        `  image-digest in payments for Deployment/fraud-scorer: ${FRAUD.reason} (approved by platform-team (SEC-204), expires 2030-06-30T00:00:00Z)\n`,
    );

    const baseline = await planStack('eks-prod-baseline', { cwd: ROOT });
    expect(baseline.exemptionGrants).toEqual({ source: 'installed', grants: [FRAUD] });
    const control = baseline.posture.find((c) => c.id === 'baseline-exemption-grants');
    expect(control?.status).toBe('pass');
    expect(control?.evidence.slice(0, 2)).toEqual([
      {
        resource: 'kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet payments-prod-baseline-bulwark',
        property: 'spec.grants (count)',
        actual: 1,
        expected: 'the grants of bulwark:exemptionGrants (none by default)',
        pass: true,
      },
      {
        resource: 'kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet payments-prod-baseline-bulwark',
        property: 'spec.grants[0]',
        actual:
          'image-digest for payments/Deployment/fraud-scorer, approved by platform-team (SEC-204), expires 2030-06-30T00:00:00Z',
        expected: 'an expiry in the future',
        pass: true,
      },
    ]);
    expect(control?.evidence.map((e) => `${e.property}: ${e.pass}`)).toEqual([
      'spec.grants (count): true',
      'spec.grants[0]: true',
      'spec.scope: true',
      'rules: true',
      'metadata.labels (aggregate-to-*): true',
      'subjects: true',
      'spec.paramRef: true',
    ]);
    const json = planJson(baseline) as { exemptionGrants: unknown; posture: { id: string }[] };
    expect(json.exemptionGrants).toEqual({ source: 'installed', grants: [FRAUD], where: 'this stack installs' });
    expect(json.posture.map((c) => c.id)).toContain('baseline-exemption-grants');
  });

  it('flags an expired grant: the control fails and the text says EXPIRED', async () => {
    const expire: pulumi.ResourceTransformation = (a) =>
      a.type === 'kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet'
        ? {
            props: {
              ...a.props,
              spec: {
                grants: [
                  ...(a.props.spec as { grants: object[] }).grants,
                  { ...(a.props.spec as { grants: object[] }).grants[0], name: 'old', expires: '2020-01-01T00:00:00Z' },
                ],
              },
            },
            opts: a.opts,
          }
        : undefined;
    const plan = await planStack('eks-prod-baseline', { cwd: ROOT, transformations: [expire] });
    const control = plan.posture.find((c) => c.id === 'baseline-exemption-grants');
    expect(control?.status).toBe('fail');
    expect(control?.evidence.filter((e) => !e.pass)).toEqual([
      {
        resource: 'kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet payments-prod-baseline-bulwark',
        property: 'spec.grants[1]',
        actual:
          'image-digest for payments/Deployment/old, approved by platform-team (SEC-204), expires 2020-01-01T00:00:00Z (EXPIRED)',
        expected: 'an expiry in the future',
        pass: false,
      },
      {
        resource: 'kubernetes:bulwark.dev/v1alpha1:ExemptionGrantSet payments-prod-baseline-bulwark',
        property: 'spec.grants (expired)',
        actual: 1,
        expected: '0: renew or remove expired grants in bulwark:exemptionGrants',
        pass: false,
      },
    ]);
    const text = formatPlanText(plan);
    expect(text).toContain('Exemption grants (2, this stack installs, 1 EXPIRED):\n');
    expect(text).toContain(
      `  EXPIRED  image-digest in payments for Deployment/old: ${FRAUD.reason} (approved by platform-team (SEC-204), expires 2020-01-01T00:00:00Z)\n`,
    );
    expect(text).toContain('Result: FAIL, 1 posture control failed: baseline-exemption-grants');
  });

  it('gitops: the baselineManifests output that CI commits for Flux carries the grants, their CRD and roles', async () => {
    const plan = await planStack('aks-prod', { cwd: ROOT });
    const read = emptyManifests();
    parseManifestText(plan.outputs.baselineManifests as string, 'baselineManifests', read);
    expect(read.errors).toEqual([]);
    const kinds = read.objects.map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'CustomResourceDefinition/exemptiongrantsets.bulwark.dev',
        'ExemptionGrantSet/bulwark',
        'ClusterRole/bulwark-exemption-grant-editor',
        'ClusterRole/bulwark-exemption-grant-viewer',
        'Namespace/payroll',
        'Namespace/ledger',
      ]),
    );
    expect(kinds.filter((k) => k.startsWith('ValidatingAdmissionPolicyBinding/')).length).toBe(24);
    const ledger = {
      rule: 'workload-probes',
      namespace: 'ledger',
      object: 'pods with app.kubernetes.io/name=ledger-migrations',
      reason: 'one-shot schema migration job, no port to probe',
      approver: 'platform-team (SEC-311)',
      expires: '2030-01-31T00:00:00Z',
      expired: false,
    };
    expect(plan.exemptionGrants).toEqual({ source: 'gitops', grants: [ledger] });
    expect(formatPlanText(plan)).toContain(
      'Exemption grants (1, in the baselineManifests output, which CI commits to the GitOps repository Flux applies):\n' +
        '  workload-probes in ledger for pods with app.kubernetes.io/name=ledger-migrations: one-shot schema migration job, no port to probe (approved by platform-team (SEC-311), expires 2030-01-31T00:00:00Z)\n',
    );
  });

  it('in-program with no grant: an empty grant set, and the plan says nothing is exempt', async () => {
    const plan = await planStack('gke-prod', { cwd: ROOT });
    expect(plan.exemptionGrants).toEqual({ source: 'installed', grants: [] });
    expect(plan.posture.find((c) => c.id === 'baseline-exemption-grants')?.status).toBe('pass');
    expect(formatPlanText(plan)).toContain(
      'Exemption grants (0, this stack installs):\n  none (bulwark:exemptionGrants is empty: no annotation exempts anything in the cluster)\n',
    );
  });
});
