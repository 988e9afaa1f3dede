import { asRecord } from '../../../k8s/k8s-object';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const rbacClusterAdminBinding = defineRule({
  id: 'rbac-cluster-admin-binding',
  title: 'Bindings must not grant the cluster-admin ClusterRole',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  references: {
    cis: ['5.1.1'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03'],
  },
  remediation:
    'Bind a Role or ClusterRole that lists only the permissions the subjects need instead of cluster-admin; keep cluster-admin for break-glass access outside of manifests.',
  check(object) {
    const roleRef = asRecord(object.roleRef);
    if (roleRef.kind !== 'ClusterRole' || roleRef.name !== 'cluster-admin') return NO_VIOLATIONS;
    const scope =
      object.kind === 'RoleBinding' ? `namespace '${object.metadata?.namespace ?? 'default'}'` : 'the cluster';
    return [
      {
        message: `roleRef is ClusterRole 'cluster-admin', which gives every subject full control of ${scope}; bind a least-privilege role instead`,
        path: 'roleRef.name',
      },
    ];
  },
});
