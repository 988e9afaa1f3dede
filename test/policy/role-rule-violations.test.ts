import { findingsOf } from '../helpers/run-rule';

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
