import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const IMG = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

describeRuleFixtures('workload-sa-token-automount');

describe('workload-sa-token-automount', () => {
  const sa = (name: string, ns: string, automount: string) => `
apiVersion: v1
kind: ServiceAccount
metadata: { name: ${name}, namespace: ${ns} }
${automount}
---`;
  const pod = (spec: string, ns = '') => `
apiVersion: v1
kind: Pod
metadata: { name: p${ns ? `, namespace: ${ns}` : ''} }
spec:
  ${spec}
  containers: [{ name: a, image: '${IMG}' }]
`;

  it('passes when the pod disables it, or leaves it to a ServiceAccount in the input that disables it', () => {
    expect(findingsOf('workload-sa-token-automount', pod('automountServiceAccountToken: false'))).toEqual([]);
    expect(
      findingsOf(
        'workload-sa-token-automount',
        sa('api', 'shop', 'automountServiceAccountToken: false') + pod('serviceAccountName: api', 'shop'),
      ),
    ).toEqual([]);
    // A pod without namespace runs in `default`, and so does a ServiceAccount without one.
    expect(
      findingsOf(
        'workload-sa-token-automount',
        sa('default', 'default', 'automountServiceAccountToken: false').replace(', namespace: default', '') + pod(''),
      ),
    ).toEqual([]);
  });

  it('reports a pod that sets true even when its ServiceAccount disables it', () => {
    expect(
      findingsOf(
        'workload-sa-token-automount',
        sa('api', 'shop', 'automountServiceAccountToken: false') +
          pod('serviceAccountName: api\n  automountServiceAccountToken: true', 'shop'),
      ),
    ).toEqual([
      'Pod p spec.automountServiceAccountToken: pod sets spec.automountServiceAccountToken=true, so the token of ServiceAccount shop/api is mounted into every container whatever the ServiceAccount says; set it to false',
    ]);
  });

  it('reports an unset pod whose ServiceAccount allows it or is not in the input', () => {
    expect(
      findingsOf('workload-sa-token-automount', sa('api', 'shop', '') + pod('serviceAccountName: api', 'shop')),
    ).toEqual([
      'Pod p spec.automountServiceAccountToken: pod does not set spec.automountServiceAccountToken and ServiceAccount shop/api does not set automountServiceAccountToken: false, so its token is mounted; set it to false on the pod or the ServiceAccount',
    ]);
    expect(
      findingsOf(
        'workload-sa-token-automount',
        sa('api', 'ops', 'automountServiceAccountToken: false') + pod('serviceAccount: api', 'shop'),
      ),
    ).toEqual([
      'Pod p spec.automountServiceAccountToken: pod does not set spec.automountServiceAccountToken and ServiceAccount shop/api is not in the input, so its token is mounted unless that ServiceAccount disables it; set spec.automountServiceAccountToken: false',
    ]);
  });
});
