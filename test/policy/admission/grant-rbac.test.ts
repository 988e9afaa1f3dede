import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { LeastPrivilegeServiceAccount } from '../../../lib';
import { defaultBaseline, synthesizeObjects } from '../../../lib/cluster/baseline/baseline-content';
import { K8sObject } from '../../../lib/k8s/k8s-object';
import { RbacAuthorizer, RbacRequest, RbacUser, serviceAccountUser } from '../../../lib/k8s/rbac-authorizer';
import { emptyManifests, parseManifestText } from '../../../lib/manifest/manifests';
import { GRANT_API_GROUP } from '../../../lib/policy/exemption-grants';
import { GRANT_CRD_NAME, GRANT_EDITOR_ROLE } from '../../../lib/policy/admission/exemption-grant-objects';

/**
 * "The RBAC that protects them", proven with the API server's RBAC semantics (lib/k8s/rbac-authorizer.ts) rather
 * than by the shape of the roles: over the baseline's rendered objects, Kubernetes' built-in roles, a namespace owner,
 * the platform's approvers and a workload ServiceAccount made by LeastPrivilegeServiceAccount with every right in its
 * namespace, who may write the exemption grants and what protects them?
 */
const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'rbac', 'kubernetes-default-rbac.yaml');

function builtIn(): K8sObject[] {
  const into = emptyManifests();
  parseManifestText(fs.readFileSync(FIXTURE, 'utf8'), FIXTURE, into);
  expect(into.errors).toEqual([]);
  return into.objects;
}

const grant = {
  namespace: 'shop',
  kind: 'Deployment',
  name: 'node-exporter',
  rule: 'pss-baseline-host-path-volumes',
  reason: 'reads host metrics',
  approver: 'platform-team (SEC-1)',
  expires: '2099-01-01T00:00:00Z',
};

/** A workload's ServiceAccount with every verb on every resource of its namespace (each rule exempted). */
function broadWorkloadAccount(): K8sObject[] {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new LeastPrivilegeServiceAccount(chart, 'ops-bot', {
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    exemptions: [
      'rbac-wildcard',
      'rbac-escalation-verbs',
      'rbac-secrets-read',
      'rbac-sensitive-subresources',
      'rbac-port-forward-proxy',
      'rbac-workload-create',
      'rbac-policy-write',
      'rbac-csr-approval',
    ].map((rule) => ({ rule, reason: 'break-glass operator, reviewed SEC-2' })),
  });
  return chart.toJson() as K8sObject[];
}

const platformBindings: K8sObject[] = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'platform-approvers' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: GRANT_EDITOR_ROLE },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform-approvers' }],
  },
  {
    // The shop team owns its namespace: the built-in admin role through a RoleBinding, as namespaces are handed out.
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'shop-owners', namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
  },
];

const baseline = synthesizeObjects(() =>
  defaultBaseline({ namespaces: ['shop'], kubernetesVersion: '1.31', exemptionGrants: [grant] }),
);
const authorizer = new RbacAuthorizer([...builtIn(), ...baseline, ...broadWorkloadAccount(), ...platformBindings]);

const admin: RbacUser = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const approver: RbacUser = { username: 'bob', groups: ['platform-approvers', 'system:authenticated'] };
const owner: RbacUser = { username: 'alice', groups: ['system:authenticated'] };
const workload = serviceAccountUser('shop', 'ops-bot');
const stranger: RbacUser = { username: 'mallory', groups: ['system:authenticated'] };

const GRANT_WRITES: RbacRequest[] = [
  { verb: 'create', group: GRANT_API_GROUP, resource: 'exemptiongrantsets' },
  ...['update', 'patch', 'delete'].map((verb) => ({
    verb,
    group: GRANT_API_GROUP,
    resource: 'exemptiongrantsets',
    name: 'bulwark',
  })),
  { verb: 'deletecollection', group: GRANT_API_GROUP, resource: 'exemptiongrantsets' },
];
/** What protects the grants: their CRD (its schema), the policies and the bindings that read them, RBAC itself. */
const PROTECTION_WRITES: RbacRequest[] = [
  { verb: 'update', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', name: GRANT_CRD_NAME },
  { verb: 'delete', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', name: GRANT_CRD_NAME },
  { verb: 'patch', group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicybindings', name: 'x' },
  { verb: 'delete', group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicies', name: 'x' },
  { verb: 'update', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: GRANT_EDITOR_ROLE },
  { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
];

const verdicts = (user: RbacUser, requests: readonly RbacRequest[]) =>
  requests.map((r) => `${r.verb} ${r.resource}${r.name ? `/${r.name}` : ''}: ${authorizer.authorize(user, r).allowed}`);
const all = (requests: readonly RbacRequest[], allowed: boolean) =>
  requests.map((r) => `${r.verb} ${r.resource}${r.name ? `/${r.name}` : ''}: ${allowed}`);

describe('who can write the exemption grants (RBAC semantics over the rendered baseline)', () => {
  it('the baseline renders the grant set with the grant and the editor role, bound to nobody', () => {
    const set = baseline.find((o) => o.kind === 'ExemptionGrantSet');
    expect((set?.spec as { grants: unknown[] }).grants).toEqual([grant]);
    const bindings = baseline.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding');
    expect(bindings).toEqual([]);
  });

  it('cluster admins (system:masters) can write grants and what protects them', () => {
    expect(verdicts(admin, [...GRANT_WRITES, ...PROTECTION_WRITES])).toEqual(
      all([...GRANT_WRITES, ...PROTECTION_WRITES], true),
    );
    expect(authorizer.authorize(admin, GRANT_WRITES[0]).via).toBe(
      'ClusterRoleBinding cluster-admin -> ClusterRole cluster-admin',
    );
  });

  it('the approvers bound to the editor role can write grants, and nothing that protects them', () => {
    // The editor role lists create, update, patch and delete; not deletecollection.
    expect(verdicts(approver, GRANT_WRITES)).toEqual([
      ...all(GRANT_WRITES.slice(0, -1), true),
      'deletecollection exemptiongrantsets: false',
    ]);
    expect(authorizer.authorize(approver, GRANT_WRITES[1]).via).toBe(
      `ClusterRoleBinding platform-approvers -> ClusterRole ${GRANT_EDITOR_ROLE}`,
    );
    expect(verdicts(approver, PROTECTION_WRITES)).toEqual(all(PROTECTION_WRITES, false));
  });

  it("a namespace owner (the built-in admin role through a RoleBinding) cannot, though admin aggregates edit's powers", () => {
    expect(authorizer.authorize(owner, { verb: 'create', group: '', resource: 'pods', namespace: 'shop' })).toEqual({
      allowed: true,
      via: 'RoleBinding shop/shop-owners -> ClusterRole admin',
    });
    expect(verdicts(owner, [...GRANT_WRITES, ...PROTECTION_WRITES])).toEqual(
      all([...GRANT_WRITES, ...PROTECTION_WRITES], false),
    );
  });

  it('a LeastPrivilegeServiceAccount with every verb on every resource of its namespace cannot', () => {
    // It really holds every right in its namespace (the authorizer is not refusing everything) ...
    for (const request of [
      { verb: 'delete', group: '', resource: 'secrets', namespace: 'shop', name: 'db' },
      { verb: 'create', group: '', resource: 'pods', namespace: 'shop' },
      { verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'shop', name: 'ops-bot' },
    ]) {
      expect(authorizer.authorize(workload, request)).toEqual({
        allowed: true,
        via: 'RoleBinding shop/ops-bot -> Role ops-bot',
      });
    }
    // ... and none outside it: the grant set is cluster-scoped, which a RoleBinding never reaches.
    expect(verdicts(workload, [...GRANT_WRITES, ...PROTECTION_WRITES])).toEqual(
      all([...GRANT_WRITES, ...PROTECTION_WRITES], false),
    );
  });

  it('any other authenticated user cannot, not even read them', () => {
    expect(verdicts(stranger, [...GRANT_WRITES, ...PROTECTION_WRITES])).toEqual(
      all([...GRANT_WRITES, ...PROTECTION_WRITES], false),
    );
    expect(
      authorizer.authorize(stranger, {
        verb: 'get',
        group: GRANT_API_GROUP,
        resource: 'exemptiongrantsets',
        name: 'bulwark',
      }).allowed,
    ).toBe(false);
  });

  it('had the editor role been labelled for aggregation, a cluster-wide binding of edit would have reached the grants', () => {
    // The counter-proof: why bulwark labels none of its grant roles for aggregation.
    const labelled = baseline.map((o) =>
      o.kind === 'ClusterRole' && o.metadata?.name === GRANT_EDITOR_ROLE
        ? { ...o, metadata: { ...o.metadata, labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } } }
        : o,
    );
    const editors: K8sObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'support-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory' }],
    };
    const withLabel = new RbacAuthorizer([...builtIn(), ...labelled, editors]);
    const without = new RbacAuthorizer([...builtIn(), ...baseline, editors]);
    expect(withLabel.authorize(stranger, GRANT_WRITES[1]).allowed).toBe(true);
    expect(without.authorize(stranger, GRANT_WRITES[1]).allowed).toBe(false);
  });
});
