import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const IMG = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

describeRuleFixtures('workload-default-service-account');

describe('workload-default-service-account', () => {
  const pod = (spec: string) => `
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  ${spec}
  containers: [{ name: a, image: '${IMG}' }]
`;
  it('reports the implicit and explicit default, including the deprecated serviceAccount field', () => {
    expect(findingsOf('workload-default-service-account', pod('serviceAccountName: ""'))).toEqual([
      "Pod p spec.serviceAccountName: pod sets no spec.serviceAccountName, so it runs as the namespace's 'default' ServiceAccount; set it to a dedicated ServiceAccount",
    ]);
    expect(findingsOf('workload-default-service-account', pod('serviceAccount: default'))).toEqual([
      "Pod p spec.serviceAccount: pod sets spec.serviceAccount='default'; set spec.serviceAccountName to a dedicated ServiceAccount",
    ]);
    expect(findingsOf('workload-default-service-account', pod('serviceAccount: api'))).toEqual([]);
  });
});
