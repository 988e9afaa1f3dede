import { RBAC_SENSITIVE_SUBRESOURCES } from '../../../k8s/rbac';
import { roleRuleViolations } from '../../role-rule-violations';
import { defineRule } from '../../rule';

export const rbacSensitiveSubresources = defineRule({
  id: 'rbac-sensitive-subresources',
  title: 'Roles must not grant pods/exec, pods/attach, nodes/proxy or serviceaccounts/token',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['Role', 'ClusterRole'],
  references: {
    cis: ['5.1.10', '5.1.13'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03'],
  },
  remediation:
    'Remove pods/exec, pods/attach, nodes/proxy and serviceaccounts/token (and the * and */<subresource> entries that include them); grant them only through a break-glass role bound when needed.',
  check(object, ctx) {
    return roleRuleViolations(object, RBAC_SENSITIVE_SUBRESOURCES, ctx);
  },
});
