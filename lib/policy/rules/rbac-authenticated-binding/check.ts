import { asArray, isRecord } from '../../../k8s/k8s-object';
import { defineRule, Violation } from '../../rule';

/** Groups every authenticated user, or every ServiceAccount of the cluster, belongs to. */
const EVERYONE: Readonly<Record<string, string>> = {
  'system:authenticated':
    'every authenticated user and ServiceAccount of the cluster (with any cloud identity that can sign in, on some managed clusters)',
  'system:serviceaccounts': 'every ServiceAccount of every namespace',
};

/** Kubernetes' own bootstrap ClusterRoleBindings to these groups (discovery and self-review only). */
const BOOTSTRAP = new Set([
  'system:basic-user',
  'system:discovery',
  'system:public-info-viewer',
  'system:service-account-issuer-discovery',
]);

export const rbacAuthenticatedBinding = defineRule({
  id: 'rbac-authenticated-binding',
  title: 'Bindings must not grant anything to every authenticated user or every ServiceAccount',
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
    'Replace the system:authenticated and system:serviceaccounts groups with the users, groups or ServiceAccounts that need the role (system:serviceaccounts:<namespace> for one namespace at most).',
  check(object) {
    const ref = object.roleRef;
    const name = object.metadata?.name;
    if (
      object.kind === 'ClusterRoleBinding' &&
      typeof name === 'string' &&
      BOOTSTRAP.has(name) &&
      isRecord(ref) &&
      ref.kind === 'ClusterRole' &&
      ref.name === name
    ) {
      return [];
    }
    const out: Violation[] = [];
    asArray(object.subjects).forEach((s, i) => {
      if (!isRecord(s) || s.kind !== 'Group' || typeof s.name !== 'string') return;
      const who = EVERYONE[s.name];
      if (who === undefined) return;
      out.push({
        message: `subjects[${i}] is Group '${s.name}', so ${who} gets this role; bind the subjects that need it`,
        path: `subjects[${i}].name`,
      });
    });
    return out;
  },
});
