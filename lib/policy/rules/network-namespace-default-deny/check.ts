import { defaultDenyGaps } from '../../../k8s/network-policy';
import { defineRule, NO_VIOLATIONS } from '../../rule';

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
    const missing = defaultDenyGaps(ctx.index, namespace);
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
