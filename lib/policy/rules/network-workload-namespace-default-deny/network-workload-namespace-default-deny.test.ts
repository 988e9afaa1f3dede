import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const RULE = 'network-workload-namespace-default-deny';
const np = (name: string, spec: string, namespace = 'shop') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec: ${spec}\n---\n`;
const pod = (namespace = 'shop') =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: api, namespace: ${namespace}, labels: { app: api } }\nspec: { containers: [{ name: api, image: x }] }\n---\n`;

describeRuleFixtures('network-workload-namespace-default-deny');

describe(RULE, () => {
  it('names the directions the namespace does not deny', () => {
    expect(findingsOf(RULE, pod() + np('api', '{ podSelector: { matchLabels: { app: api } } }'))).toEqual([
      "Pod api metadata.namespace: namespace 'shop' has no default-deny NetworkPolicy for ingress and egress in the input (podSelector: {} with policyTypes Ingress and Egress), so the pod's egress is open to any destination (its NetworkPolicies 'api' restrict only ingress), and any traffic of pods added to the namespace later is allowed; add a DefaultDenyNamespace('shop') or a default-deny NetworkPolicy, or exempt the workload when the namespace is managed elsewhere",
    ]);
  });

  it('counts default-deny split over two policies, and not an allow-all one or one in another namespace', () => {
    const own = np('api', '{ podSelector: { matchLabels: { app: api } } }');
    expect(
      findingsOf(
        RULE,
        pod() + own + np('i', '{ podSelector: {}, policyTypes: [Ingress] }') + np('e', '{ policyTypes: [Egress] }'),
      ),
    ).toEqual([]);
    const allowAll = np('all', '{ podSelector: {}, policyTypes: [Ingress, Egress], egress: [{}] }');
    expect(findingsOf(RULE, pod() + own + allowAll)[0]).toContain('has no default-deny NetworkPolicy for egress in');
    expect(
      findingsOf(RULE, pod() + own + np('d', '{ podSelector: {}, policyTypes: [Ingress, Egress] }', 'ops')),
    ).toHaveLength(1);
  });

  it('leaves pods that no policy selects to network-workload-isolation', () => {
    expect(findingsOf(RULE, pod())).toEqual([]);
  });
});
