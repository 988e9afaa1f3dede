import { RBAC_WILDCARD } from '../../../k8s/rbac';
import { roleRuleViolations } from '../../role-rule-violations';
import { defineRule } from '../../rule';

export const rbacWildcard = defineRule({
  id: 'rbac-wildcard',
  title: 'Roles must not use wildcards in apiGroups, resources or verbs',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['Role', 'ClusterRole'],
  references: {
    cis: ['5.1.3'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03'],
  },
  remediation:
    'List the exact apiGroups, resources and verbs the subject needs; a wildcard also grants every resource and verb added to the cluster later.',
  check(object, ctx) {
    return roleRuleViolations(object, RBAC_WILDCARD, ctx);
  },
});
