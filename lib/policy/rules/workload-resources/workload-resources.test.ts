import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const IMG = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

describeRuleFixtures('workload-resources');

describe('workload-resources', () => {
  const deployment = (resources: string, init = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  template:
    spec:
      ${init}
      containers:
        - name: api
          image: ${IMG}
          resources: ${resources}
`;

  it('accepts requests and limits with limits at least the requests, in any valid notation', () => {
    expect(
      findingsOf(
        'workload-resources',
        deployment('{ requests: { cpu: 0.5, memory: 1Gi }, limits: { cpu: 500m, memory: 1073741824 } }'),
      ),
    ).toEqual([]);
  });

  it('lists the missing fields of each container, init containers included', () => {
    expect(
      findingsOf(
        'workload-resources',
        deployment('{ requests: { cpu: 100m, memory: 64Mi } }', `initContainers: [{ name: setup, image: '${IMG}' }]`),
      ),
    ).toEqual([
      "Deployment api spec.template.spec.containers[0].resources: container 'api' does not set resources.limits.cpu, resources.limits.memory; set cpu and memory requests and limits",
      "Deployment api spec.template.spec.initContainers[0].resources: container 'setup' does not set resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory; set cpu and memory requests and limits",
    ]);
  });

  it('reports a limit below its request and a malformed quantity with the value received', () => {
    expect(
      findingsOf(
        'workload-resources',
        deployment('{ requests: { cpu: "1", memory: 128Mi }, limits: { cpu: 999m, memory: 128 Mi } }'),
      ),
    ).toEqual([
      "Deployment api spec.template.spec.containers[0].resources.limits.memory: container 'api' resources.limits.memory '128 Mi' is not a valid quantity; use e.g. '128Mi' or '1Gi'",
      "Deployment api spec.template.spec.containers[0].resources.limits.cpu: container 'api' resources.limits.cpu '999m' is below resources.requests.cpu '1'; raise the limit to at least the request",
    ]);
    expect(
      findingsOf(
        'workload-resources',
        deployment('{ requests: { cpu: -1, memory: 1Mi }, limits: { cpu: 1, memory: [] } }'),
      ),
    ).toEqual([
      "Deployment api spec.template.spec.containers[0].resources.requests.cpu: container 'api' resources.requests.cpu '-1' is not a valid quantity; use e.g. '250m' or '1'",
      "Deployment api spec.template.spec.containers[0].resources.limits.memory: container 'api' resources.limits.memory '[]' is not a valid quantity; use e.g. '128Mi' or '1Gi'",
    ]);
  });
});
