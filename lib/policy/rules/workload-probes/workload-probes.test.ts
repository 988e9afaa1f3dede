import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const IMG = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

describeRuleFixtures('workload-probes');

describe('workload-probes', () => {
  const pod = (meta: string, spec: string) => `
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop${meta} }
spec:
  ${spec}
  initContainers: [{ name: setup, image: '${IMG}' }]
  containers:
    - name: api
      image: ${IMG}
      startupProbe: { httpGet: { path: /, port: 80 } }
`;

  it('reports regular containers of long-running pods, not init containers, and a startupProbe is not enough', () => {
    expect(findingsOf('workload-probes', pod('', ''))).toEqual([
      "Pod p spec.containers[0].readinessProbe: container 'api' has no readinessProbe and no livenessProbe; add both probes",
    ]);
    expect(findingsOf('workload-probes', pod('', 'restartPolicy: Always'))).toHaveLength(1);
  });

  it('skips pods that run to completion', () => {
    expect(findingsOf('workload-probes', pod('', 'restartPolicy: Never'))).toEqual([]);
    expect(findingsOf('workload-probes', pod('', 'restartPolicy: OnFailure'))).toEqual([]);
    expect(findingsOf('workload-probes', pod(', labels: { job-name: migrate }', ''))).toEqual([]);
    expect(
      findingsOf(
        'workload-probes',
        pod(', ownerReferences: [{ apiVersion: batch/v1, kind: Job, name: m, uid: u }]', ''),
      ),
    ).toEqual([]);
    expect(
      findingsOf(
        'workload-probes',
        pod(', ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: m, uid: u }]', ''),
      ),
    ).toHaveLength(1);
  });
});
