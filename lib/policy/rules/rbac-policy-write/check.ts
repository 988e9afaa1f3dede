import { RBAC_POLICY_WRITE } from '../../../k8s/rbac';
import { roleRuleViolations } from '../../role-rule-violations';
import { defineRule } from '../../rule';

export const rbacPolicyWrite = defineRule({
  id: RBAC_POLICY_WRITE,
  title: 'Roles must not write NetworkPolicies, admission policies or their bindings',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['Role', 'ClusterRole'],
  references: {
    cis: ['5.1.12'],
    nsa: [
      'Authentication and authorization: role-based access control',
      'Network separation and hardening: network policies',
    ],
    owasp: ['K03', 'K07'],
  },
  remediation:
    'Remove create, update, patch, delete and deletecollection on networkpolicies, validating/mutating admission policies and their bindings, and webhook configurations; grant read verbs only if the workload must read them. Policies are changed by the platform team through review.',
  check(object, ctx) {
    return roleRuleViolations(object, RBAC_POLICY_WRITE, ctx);
  },
});
