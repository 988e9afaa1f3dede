import { RBAC_PORT_FORWARD_PROXY } from '../../../k8s/rbac';
import { roleRuleViolations } from '../../role-rule-violations';
import { defineRule } from '../../rule';

export const rbacPortForwardProxy = defineRule({
  id: RBAC_PORT_FORWARD_PROXY,
  title: 'Roles must not grant pods/portforward, pods/proxy or services/proxy',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['Role', 'ClusterRole'],
  references: {
    nsa: ['Authentication and authorization: role-based access control', 'Network separation and hardening'],
    owasp: ['K03', 'K07'],
  },
  remediation:
    'Remove pods/portforward, pods/proxy and services/proxy (and the * and */<subresource> entries that include them): they reach pods and Services through the API server, past their NetworkPolicies. Reach a workload through a Service and a NetworkPolicy that admits the caller; grant port-forward only through a break-glass role bound when needed.',
  check(object, ctx) {
    return roleRuleViolations(object, RBAC_PORT_FORWARD_PROXY, ctx);
  },
});
