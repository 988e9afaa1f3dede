import { RBAC_WORKLOAD_CREATE } from '../../../k8s/rbac';
import { roleRuleViolations } from '../../role-rule-violations';
import { defineRule } from '../../rule';

export const rbacWorkloadCreate = defineRule({
  id: RBAC_WORKLOAD_CREATE,
  title: 'Roles must not create pods or pod controllers',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['Role', 'ClusterRole'],
  references: {
    cis: ['5.1.4'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03'],
  },
  remediation:
    "Remove 'create' on pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs and ReplicationControllers: a pod of the subject's choosing mounts any Secret and runs as any ServiceAccount of the namespace. Let a deployment pipeline or a reviewed operator role create workloads.",
  check(object, ctx) {
    return roleRuleViolations(object, RBAC_WORKLOAD_CREATE, ctx);
  },
});
