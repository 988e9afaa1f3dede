import { RBAC_ESCALATION_VERBS } from '../../../k8s/rbac';
import { roleRuleViolations } from '../../role-rule-violations';
import { defineRule } from '../../rule';

export const rbacEscalationVerbs = defineRule({
  id: 'rbac-escalation-verbs',
  title: 'Roles must not grant escalate, bind or impersonate',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['Role', 'ClusterRole'],
  references: {
    cis: ['5.1.8'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03'],
  },
  remediation:
    'Remove escalate and bind (on roles and clusterroles) and impersonate (on users, groups, serviceaccounts, uids, userextras); keep them for cluster administrators only.',
  check(object, ctx) {
    return roleRuleViolations(object, RBAC_ESCALATION_VERBS, ctx);
  },
});
