import { asArray, isRecord } from '../../../k8s/k8s-object';
import { defineRule, Violation } from '../../rule';

/** Subjects every unauthenticated request carries (kind and name). */
const ANONYMOUS: readonly (readonly [kind: string, name: string])[] = [
  ['User', 'system:anonymous'],
  ['Group', 'system:unauthenticated'],
];

export const rbacAnonymousBinding = defineRule({
  id: 'rbac-anonymous-binding',
  title: 'Bindings must not grant anything to anonymous users',
  severity: 'error',
  group: 'rbac',
  scope: 'object',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  references: {
    nsa: ['Authentication and authorization: authentication'],
    owasp: ['K03', 'K06'],
  },
  remediation:
    'Remove the system:anonymous user and system:unauthenticated group from subjects and bind the role to authenticated users, groups or ServiceAccounts; also run the API server with --anonymous-auth=false where possible.',
  check(object) {
    const out: Violation[] = [];
    asArray(object.subjects).forEach((s, i) => {
      if (!isRecord(s)) return;
      if (!ANONYMOUS.some(([kind, name]) => s.kind === kind && s.name === name)) return;
      out.push({
        message: `subjects[${i}] is ${String(s.kind)} '${String(s.name)}', so anyone who can reach the API server without credentials gets this role; remove it`,
        path: `subjects[${i}].name`,
      });
    });
    return out;
  },
});
