import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const np = (name: string, spec: string, namespace = 'shop') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec: ${spec}\n---\n`;

describeRuleFixtures('network-workload-isolation');

describe('network-workload-isolation', () => {
  const deployment = (labels: string, namespace = 'shop') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: ${namespace} }
spec:
  template:
    metadata: { labels: ${labels} }
    spec: { containers: [{ name: api, image: x }] }
---
`;

  it('passes when a policy of the namespace selects the pod template labels', () => {
    expect(
      findingsOf(
        'network-workload-isolation',
        deployment('{ app: api }') +
          np('api', '{ podSelector: { matchExpressions: [{ key: app, operator: In, values: [api] }] } }'),
      ),
    ).toEqual([]);
  });

  it('reports pods no policy selects, with the labels and the policy count', () => {
    expect(
      findingsOf(
        'network-workload-isolation',
        deployment('{ app: api }') +
          np('web', '{ podSelector: { matchLabels: { app: web } } }') +
          np('bad', '{ podSelector: { matchExpressions: [{ key: app, operator: Like }] } }') +
          np('elsewhere', '{ podSelector: {} }', 'ops'),
      ),
    ).toEqual([
      'Deployment api spec.template.metadata.labels: no NetworkPolicy in namespace \'shop\' (2 in the input) selects the pod labels {"app":"api"}, so its traffic is not restricted; add a NetworkPolicy whose podSelector matches them',
    ]);
  });

  it('puts objects without namespace in default', () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: a, image: x }] }\n---\n';
    expect(findingsOf('network-workload-isolation', pod + np('all', '{ podSelector: {} }', 'default'))).toEqual([]);
  });
});
