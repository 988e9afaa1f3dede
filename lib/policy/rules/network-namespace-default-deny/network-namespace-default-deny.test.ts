import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n---\n';
const np = (name: string, spec: string, namespace = 'shop') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec: ${spec}\n---\n`;

describeRuleFixtures('network-namespace-default-deny');

describe('network-namespace-default-deny', () => {
  it('counts Ingress and Egress across policies that select all pods', () => {
    expect(
      findingsOf(
        'network-namespace-default-deny',
        ns + np('i', '{ podSelector: {}, policyTypes: [Ingress] }') + np('e', '{ policyTypes: [Egress] }'),
      ),
    ).toEqual([]);
  });

  it('reads a missing policyTypes as Ingress, plus Egress when egress rules are present', () => {
    expect(findingsOf('network-namespace-default-deny', ns + np('d', '{ podSelector: {} }'))).toEqual([
      "Namespace shop metadata.name: no NetworkPolicy in namespace 'shop' selects all pods (podSelector: {}) with policyTypes Egress and no allow-all rule, so egress traffic is allowed by default; add a default-deny NetworkPolicy",
    ]);
    expect(
      findingsOf(
        'network-namespace-default-deny',
        ns + np('d', '{ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }] }'),
      ),
    ).toEqual([]);
  });

  it('does not count a direction whose rules allow everything', () => {
    expect(
      findingsOf(
        'network-namespace-default-deny',
        ns + np('d', '{ podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{ from: [], ports: [] }] }'),
      ),
    ).toEqual([
      "Namespace shop metadata.name: no NetworkPolicy in namespace 'shop' selects all pods (podSelector: {}) with policyTypes Ingress and no allow-all rule, so ingress traffic is allowed by default; add a default-deny NetworkPolicy",
    ]);
  });

  it('ignores policies of other namespaces and policies selecting some pods', () => {
    expect(
      findingsOf(
        'network-namespace-default-deny',
        ns +
          np('other', '{ podSelector: {}, policyTypes: [Ingress, Egress] }', 'ops') +
          np('web', '{ podSelector: { matchLabels: { app: web } }, policyTypes: [Ingress, Egress] }'),
      ),
    ).toEqual([
      "Namespace shop metadata.name: no NetworkPolicy in namespace 'shop' selects all pods (podSelector: {}) with policyTypes Ingress and Egress and no allow-all rule, so ingress and egress traffic is allowed by default; add a default-deny NetworkPolicy",
    ]);
  });
});
