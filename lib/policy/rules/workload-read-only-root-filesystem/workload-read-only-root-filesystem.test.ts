import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const IMG = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

describeRuleFixtures('workload-read-only-root-filesystem');

describe('workload-read-only-root-filesystem', () => {
  it('reports every container that does not set it to true, with the value received', () => {
    const yaml = `
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - { name: a, image: '${IMG}', securityContext: { readOnlyRootFilesystem: true } }
    - { name: b, image: '${IMG}', securityContext: { readOnlyRootFilesystem: "true" } }
    - { name: c, image: '${IMG}' }
  ephemeralContainers:
    - { name: debug, image: '${IMG}', securityContext: { readOnlyRootFilesystem: false } }
`;
    expect(findingsOf('workload-read-only-root-filesystem', yaml)).toEqual([
      'Pod p spec.containers[1].securityContext.readOnlyRootFilesystem: container \'b\' sets securityContext.readOnlyRootFilesystem="true"; set it to true',
      "Pod p spec.containers[2].securityContext.readOnlyRootFilesystem: container 'c' does not set securityContext.readOnlyRootFilesystem; set it to true",
      "Pod p spec.ephemeralContainers[0].securityContext.readOnlyRootFilesystem: container 'debug' sets securityContext.readOnlyRootFilesystem=false; set it to true",
    ]);
  });
});
