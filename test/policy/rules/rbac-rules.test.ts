import { findingsOf } from '../../helpers/run-rule';

describe('rbac rules on Role and ClusterRole', () => {
  const role = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: ops }
rules:
  - apiGroups: ['']
    resources: [configmaps]
    verbs: [get]
  - apiGroups: ['']
    resources: [secrets, pods/exec]
    verbs: [list, create]
  - nonResourceURLs: [/metrics]
    verbs: [get]
  - not-a-rule
`;

  it('names the rule index, field, value and fix', () => {
    expect(findingsOf('rbac-secrets-read', role)).toEqual([
      "ClusterRole ops rules[1].verbs: rules[1] verbs grant 'list' on 'secrets', which reads every Secret in scope; remove 'list'; grant only 'get' with resourceNames, or mount the Secrets as volumes",
    ]);
    expect(findingsOf('rbac-sensitive-subresources', role)).toEqual([
      "ClusterRole ops rules[1].resources: rules[1] resources grant 'pods/exec', which runs commands inside any container of the pods in scope; remove 'pods/exec' from resources; use a break-glass role bound only when needed",
    ]);
    expect(findingsOf('rbac-wildcard', role)).toEqual([]);
    expect(findingsOf('rbac-escalation-verbs', role)).toEqual([]);
  });

  it('does not look at bindings or other kinds', () => {
    const cm =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\nrules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]\n';
    expect(findingsOf('rbac-wildcard', cm)).toEqual([]);
  });
});

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

describe('rbac-anonymous-binding', () => {
  it('reports system:anonymous users and system:unauthenticated groups only', () => {
    const yaml = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: b }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects:
  - { kind: Group, name: system:authenticated }
  - { kind: Group, name: system:unauthenticated }
  - { kind: Group, name: system:anonymous }
  - { kind: User, name: system:anonymous }
`;
    expect(findingsOf('rbac-anonymous-binding', yaml)).toEqual([
      "ClusterRoleBinding b subjects[1].name: subjects[1] is Group 'system:unauthenticated', so anyone who can reach the API server without credentials gets this role; remove it",
      "ClusterRoleBinding b subjects[3].name: subjects[3] is User 'system:anonymous', so anyone who can reach the API server without credentials gets this role; remove it",
    ]);
  });
});
