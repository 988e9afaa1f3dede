import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

describeRuleFixtures('rbac-cluster-admin-binding');

describe('rbac-cluster-admin-binding', () => {
  const binding = (kind: string, roleKind: string, roleName: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: b${kind === 'RoleBinding' ? ', namespace: shop' : ''} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${roleName} }
subjects: [{ kind: ServiceAccount, name: api, namespace: shop }]
`;
  it('reports any binding to the cluster-admin ClusterRole, naming its reach', () => {
    expect(
      findingsOf('rbac-cluster-admin-binding', binding('ClusterRoleBinding', 'ClusterRole', 'cluster-admin')),
    ).toEqual([
      "ClusterRoleBinding b roleRef.name: roleRef is ClusterRole 'cluster-admin', which gives every subject full control of the cluster; bind a least-privilege role instead",
    ]);
    expect(findingsOf('rbac-cluster-admin-binding', binding('RoleBinding', 'ClusterRole', 'cluster-admin'))).toEqual([
      "RoleBinding b roleRef.name: roleRef is ClusterRole 'cluster-admin', which gives every subject full control of namespace 'shop'; bind a least-privilege role instead",
    ]);
  });
  it('ignores a namespaced Role that happens to be called cluster-admin, and other ClusterRoles', () => {
    expect(findingsOf('rbac-cluster-admin-binding', binding('RoleBinding', 'Role', 'cluster-admin'))).toEqual([]);
    expect(findingsOf('rbac-cluster-admin-binding', binding('ClusterRoleBinding', 'ClusterRole', 'admin'))).toEqual([]);
  });
});
