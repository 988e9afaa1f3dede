import { K8sObject } from '../../lib/k8s/k8s-object';
import { RbacAuthorizer, serviceAccountUser } from '../../lib/k8s/rbac-authorizer';

const RBAC = 'rbac.authorization.k8s.io/v1';
const role = (namespace: string, rules: unknown[]): K8sObject => ({
  apiVersion: RBAC,
  kind: 'Role',
  metadata: { name: 'r', namespace },
  rules,
});
const bindingOf = (namespace: string, subject: Record<string, string>): K8sObject => ({
  apiVersion: RBAC,
  kind: 'RoleBinding',
  metadata: { name: 'b', namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
  subjects: [subject],
});

describe('RbacAuthorizer: the API server RBAC semantics', () => {
  const sa = serviceAccountUser('shop', 'api');

  it('a RoleBinding grants in its own namespace only; its ServiceAccount subject defaults to that namespace', () => {
    const a = new RbacAuthorizer([
      role('shop', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
      bindingOf('shop', { kind: 'ServiceAccount', name: 'api' }),
    ]);
    const get = { verb: 'get', group: '', resource: 'configmaps', name: 'c' };
    expect(a.authorize(sa, { ...get, namespace: 'shop' })).toEqual({
      allowed: true,
      via: 'RoleBinding shop/b -> Role r',
    });
    expect(a.authorize(sa, { ...get, namespace: 'other' }).allowed).toBe(false);
    expect(a.authorize(sa, get).allowed).toBe(false);
    expect(a.authorize(serviceAccountUser('other', 'api'), { ...get, namespace: 'shop' }).allowed).toBe(false);
  });

  it('resourceNames limit a rule to named requests (never create or list); subresources need their own entry', () => {
    const a = new RbacAuthorizer([
      role('shop', [
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'list'], resourceNames: ['db'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['*'] },
      ]),
      bindingOf('shop', { kind: 'ServiceAccount', name: 'api' }),
    ]);
    const secret = { group: '', resource: 'secrets', namespace: 'shop' };
    expect(a.authorize(sa, { ...secret, verb: 'get', name: 'db' }).allowed).toBe(true);
    expect(a.authorize(sa, { ...secret, verb: 'get', name: 'other' }).allowed).toBe(false);
    expect(a.authorize(sa, { ...secret, verb: 'create' }).allowed).toBe(false);
    expect(a.authorize(sa, { ...secret, verb: 'list' }).allowed).toBe(false);
    expect(a.authorize(sa, { verb: 'delete', group: '', resource: 'pods', namespace: 'shop', name: 'p' }).allowed).toBe(
      true,
    );
    expect(
      a.authorize(sa, { verb: 'create', group: '', resource: 'pods/exec', namespace: 'shop', name: 'p' }).allowed,
    ).toBe(false);
  });

  it('groups match by name; unknown subject kinds and roles grant nothing', () => {
    const a = new RbacAuthorizer([
      role('shop', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] }]),
      bindingOf('shop', { kind: 'Group', name: 'system:serviceaccounts:shop' }),
      { ...bindingOf('shop', { kind: 'Robot', name: 'api' }), metadata: { name: 'c', namespace: 'shop' } },
    ]);
    const patch = { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'shop', name: 'd' };
    expect(a.authorize(sa, patch).allowed).toBe(true);
    expect(a.authorize({ username: 'api', groups: [] }, patch).allowed).toBe(false);
    expect(a.authorize(sa, { ...patch, group: '' }).allowed).toBe(false);
  });
});
