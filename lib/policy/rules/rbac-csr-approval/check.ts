import { RBAC_CSR_APPROVAL } from '../../../k8s/rbac';
import { roleRuleViolations } from '../../role-rule-violations';
import { defineRule } from '../../rule';

export const rbacCsrApproval = defineRule({
  id: RBAC_CSR_APPROVAL,
  title: 'Roles must not approve certificate signing requests',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['Role', 'ClusterRole'],
  references: {
    cis: ['5.1.11'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03'],
  },
  remediation:
    "Remove update/patch on certificatesigningrequests/approval and 'approve' on signers: approving a CSR issues a client certificate for any user or group the request names (system:masters included). Leave approval to the cluster's CSR approver.",
  check(object, ctx) {
    return roleRuleViolations(object, RBAC_CSR_APPROVAL, ctx);
  },
});
