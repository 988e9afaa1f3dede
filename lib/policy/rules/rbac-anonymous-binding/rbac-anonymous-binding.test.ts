import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

describeRuleFixtures('rbac-anonymous-binding');

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
