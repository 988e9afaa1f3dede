import { selectsEverything } from '../../../k8s/label-selector';
import { networkPoliciesIn, PolicyType } from '../../../k8s/network-policy';
import { defineRule, NO_VIOLATIONS } from '../../rule';

const TYPES: readonly PolicyType[] = ['Ingress', 'Egress'];

export const networkNamespaceDefaultDeny = defineRule({
  id: 'network-namespace-default-deny',
  title: 'Namespaces should deny ingress and egress by default',
  severity: 'warning',
  group: 'network',
  scope: 'object',
  kinds: ['Namespace'],
  references: {
    cis: ['5.3.2'],
    nsa: ['Network separation and hardening: network policies'],
    owasp: ['K07'],
  },
  remediation:
    'Add a NetworkPolicy to the namespace with podSelector: {} and policyTypes [Ingress, Egress] and no rules, then allow the traffic each workload needs (including DNS egress) with further policies.',
  check(object, ctx) {
    const namespace = object.metadata?.name;
    if (!namespace) return NO_VIOLATIONS;
    const denied = new Set<PolicyType>();
    for (const p of networkPoliciesIn(ctx.index, namespace)) {
      if (!p.podSelector || !selectsEverything(p.podSelector)) continue;
      for (const t of TYPES) if (p.policyTypes.has(t) && !p.allowsAll.has(t)) denied.add(t);
    }
    const missing = TYPES.filter((t) => !denied.has(t));
    if (missing.length === 0) return NO_VIOLATIONS;
    return [
      {
        message: `no NetworkPolicy in namespace '${namespace}' selects all pods (podSelector: {}) with policyTypes ${missing.join(
          ' and ',
        )} and no allow-all rule, so ${missing.map((t) => t.toLowerCase()).join(' and ')} traffic is allowed by default; add a default-deny NetworkPolicy`,
        path: 'metadata.name',
      },
    ];
  },
});
