import * as fc from 'fast-check';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { matchesLabels } from '../../lib/k8s/label-selector';
import { anyNetworkPolicySelects, networkPoliciesIn, networkPoliciesSelecting } from '../../lib/k8s/network-policy';
import { ObjectIndex } from '../../lib/k8s/object-index';

// A small alphabet, so that generated selectors and pod labels often overlap.
const key = fc.constantFrom('app', 'tier', 'team', 'app.kubernetes.io/name');
const value = fc.constantFrom('a', 'b', 'c');
const labels = fc.dictionary(key, value, { maxKeys: 3 });
const expression = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(value, { minLength: 1, maxLength: 2 }) }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const podSelector = fc.oneof(
  fc.record({ matchLabels: labels }, { requiredKeys: [] }),
  fc.record({ matchLabels: labels, matchExpressions: fc.array(expression, { maxLength: 2 }) }, { requiredKeys: [] }),
  // Absent (selects every pod), malformed (selects none), a label value that is not a string (malformed too).
  fc.constant(undefined),
  fc.constant('everything'),
  fc.constant({ matchLabels: { app: 1 } }),
);
const policy = fc.record({
  namespace: fc.constantFrom('shop', 'data', undefined),
  podSelector,
});

function policyObject(p: { namespace?: string; podSelector: unknown }, i: number): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `np-${i}`, ...(p.namespace ? { namespace: p.namespace } : {}) },
    spec: p.podSelector === undefined ? {} : { podSelector: p.podSelector },
  };
}

describe('anyNetworkPolicySelects', () => {
  it('answers exactly as matching the pod labels against every policy of the namespace', () => {
    fc.assert(
      fc.property(
        fc.array(policy, { maxLength: 12 }),
        fc.constantFrom('shop', 'data', 'default', 'empty'),
        fc.option(labels, { nil: undefined }),
        (policies, namespace, podLabels) => {
          const index = new ObjectIndex(policies.map(policyObject));
          const scan = networkPoliciesIn(index, namespace).some(
            (p) => p.podSelector !== undefined && matchesLabels(p.podSelector, podLabels),
          );
          expect(anyNetworkPolicySelects(index, namespace, podLabels)).toBe(scan);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds a policy through any of the pod labels, whichever label the policy is filed under', () => {
    const index = new ObjectIndex([
      policyObject({ namespace: 'shop', podSelector: { matchLabels: { tier: 'web', app: 'shop' } } }, 0),
    ]);
    expect(anyNetworkPolicySelects(index, 'shop', { app: 'shop', tier: 'web', extra: 'x' })).toBe(true);
    expect(anyNetworkPolicySelects(index, 'shop', { tier: 'web', app: 'shop' })).toBe(true);
    expect(anyNetworkPolicySelects(index, 'shop', { app: 'shop' })).toBe(false);
    expect(anyNetworkPolicySelects(index, 'data', { app: 'shop', tier: 'web' })).toBe(false);
  });
});

describe('networkPoliciesSelecting', () => {
  it('returns exactly the policies a scan of the namespace selects, in input order', () => {
    fc.assert(
      fc.property(
        fc.array(policy, { maxLength: 16 }),
        fc.constantFrom('shop', 'data', 'default', 'empty'),
        fc.option(labels, { nil: undefined }),
        (policies, namespace, podLabels) => {
          const index = new ObjectIndex(policies.map(policyObject));
          const scan = networkPoliciesIn(index, namespace).filter(
            (p) => p.podSelector !== undefined && matchesLabels(p.podSelector, podLabels),
          );
          expect(networkPoliciesSelecting(index, namespace, podLabels).map((p) => p.name)).toEqual(
            scan.map((p) => p.name),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('NetworkPolicy API versions', () => {
  it.each(['extensions/v1beta1', 'networking.k8s.io/v1beta1', 'crd.projectcalico.org/v1'])(
    'a NetworkPolicy of %s (removed or not Kubernetes) isolates no pod',
    (apiVersion) => {
      const np: K8sObject = {
        apiVersion,
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'shop' },
        spec: { podSelector: {} },
      };
      const index = new ObjectIndex([np]);
      expect(anyNetworkPolicySelects(index, 'shop', { app: 'a' })).toBe(false);
      expect(networkPoliciesIn(index, 'shop')).toEqual([]);
      const served = new ObjectIndex([{ ...np, apiVersion: 'networking.k8s.io/v1' }]);
      expect(anyNetworkPolicySelects(served, 'shop', { app: 'a' })).toBe(true);
    },
  );
});
