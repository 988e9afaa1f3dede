import * as fc from 'fast-check';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { ObjectIndex } from '../../lib/k8s/object-index';
import { serviceAccountPowers } from '../../lib/policy/service-account-powers';

// A small world, so that generated subjects, bindings and roles often meet.
const namespace = fc.constantFrom('shop', 'data', undefined);
const account = fc.constantFrom('api', 'db', 'default');
const subject = fc.oneof(
  fc.record({ kind: fc.constant('ServiceAccount'), name: account, namespace }, { requiredKeys: ['kind', 'name'] }),
  fc.record({
    kind: fc.constant('Group'),
    name: fc.constantFrom(
      'system:serviceaccounts',
      'system:serviceaccounts:shop',
      'system:serviceaccounts:data',
      'system:authenticated',
      'developers',
    ),
  }),
  fc.record({ kind: fc.constant('User'), name: account }),
);
const roleName = fc.constantFrom('reader', 'admin', 'cluster-admin');
const binding = fc.record({
  kind: fc.constantFrom('RoleBinding', 'ClusterRoleBinding'),
  apiVersion: fc.constantFrom('rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1'),
  namespace,
  roleKind: fc.constantFrom('Role', 'ClusterRole'),
  roleName,
  subjects: fc.array(subject, { maxLength: 3 }),
});
const role = fc.record({
  kind: fc.constantFrom('Role', 'ClusterRole'),
  namespace,
  name: roleName,
  verbs: fc.constantFrom(['get'], ['*']),
});

type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

function objects(bindings: Generated<typeof binding>[], roles: Generated<typeof role>[]): K8sObject[] {
  return [
    ...roles.map((r, i) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: r.kind,
      metadata: { name: r.name, ...(r.kind === 'Role' && r.namespace ? { namespace: r.namespace } : {}), uid: `r${i}` },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: r.verbs }],
    })),
    ...bindings.map((b, i) => ({
      apiVersion: b.apiVersion,
      kind: b.kind,
      metadata: { name: `b${i}`, ...(b.kind === 'RoleBinding' && b.namespace ? { namespace: b.namespace } : {}) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: b.roleKind, name: b.roleName },
      subjects: b.subjects,
    })),
  ];
}

/** The definition, binding by binding: what the indexed lookup must answer. */
function scanBinds(b: K8sObject, ns: string, name: string): boolean {
  const bindingNamespace = b.metadata?.namespace || 'default';
  return ((b.subjects as Record<string, unknown>[] | undefined) ?? []).some((s) =>
    s.kind === 'ServiceAccount'
      ? s.name === name && ((typeof s.namespace === 'string' && s.namespace) || bindingNamespace) === ns
      : s.kind === 'Group' &&
        (s.name === 'system:serviceaccounts' ||
          s.name === `system:serviceaccounts:${ns}` ||
          s.name === 'system:authenticated'),
  );
}

describe('serviceAccountPowers', () => {
  it('names exactly the bindings of forbidden powers a scan of every binding finds, in input order', () => {
    fc.assert(
      fc.property(
        fc.array(binding, { maxLength: 10 }),
        fc.array(role, { maxLength: 6 }),
        fc.constantFrom('shop', 'data', 'default'),
        account,
        (bs, rs, ns, name) => {
          const all = objects(bs, rs);
          const index = new ObjectIndex(all);
          const roleOf = (b: K8sObject) => {
            const ref = b.roleRef as { kind: string; name: string };
            return all.find(
              (r) =>
                r.kind === ref.kind &&
                r.metadata?.name === ref.name &&
                (r.kind === 'ClusterRole' ||
                  (r.metadata?.namespace || 'default') === (b.metadata?.namespace || 'default')) &&
                (b.kind === 'RoleBinding' || r.kind === 'ClusterRole'),
            );
          };
          const forbidden = (b: K8sObject) => {
            const ref = b.roleRef as { kind: string; name: string };
            if (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin') return true;
            const r = roleOf(b);
            return r !== undefined && (r.rules as { verbs: string[] }[])[0].verbs.includes('*');
          };
          const expected = [
            // RoleBindings of every namespace: one in another namespace binds the account there.
            ...all.filter((o) => o.kind === 'RoleBinding'),
            ...all.filter((o) => o.kind === 'ClusterRoleBinding'),
          ]
            .filter((b) => b.apiVersion === 'rbac.authorization.k8s.io/v1' && scanBinds(b, ns, name) && forbidden(b))
            .map((b) => `${b.kind} ${b.metadata?.namespace ? `${b.metadata.namespace}/` : ''}${b.metadata?.name}`);
          const powers = serviceAccountPowers(index, ns, name).map((p) => p.binding);
          expect(powers).toEqual(expected);
          const again = serviceAccountPowers(new ObjectIndex(all), ns, name).map((p) => p.binding);
          expect(again).toEqual(powers);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
