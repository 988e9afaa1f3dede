import { RBAC_SECRETS_READ } from '../../../k8s/rbac';
import { roleRuleViolations } from '../../role-rule-violations';
import { defineRule } from '../../rule';

export const rbacSecretsRead = defineRule({
  id: 'rbac-secrets-read',
  title: 'Roles must not read Secrets broadly',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['Role', 'ClusterRole'],
  references: {
    cis: ['5.1.2'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03', 'K08'],
  },
  remediation:
    'Grant only get on Secrets, limited with resourceNames to the ones the subject reads; never list or watch (they return every Secret with its data), and prefer mounting Secrets as volumes.',
  check(object, ctx) {
    return roleRuleViolations(object, RBAC_SECRETS_READ, ctx);
  },
});
