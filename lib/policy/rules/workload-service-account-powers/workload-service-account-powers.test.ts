import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { K8sObject } from '../../../k8s/k8s-object';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('workload-service-account-powers');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;
const findings = (name: string) => audit(read(name), { only: ['workload-service-account-powers'] }).findings;

describe('workload-service-account-powers', () => {
  it('names the ServiceAccount, the binding, the role and the RBAC rules it fails', () => {
    expect(findings('fail/controller-with-wildcard-role.yaml').map((f) => [f.message, f.path])).toEqual([
      [
        "runs as ServiceAccount 'argocd/argocd-application-controller', which ClusterRoleBinding argocd-application-controller binds to ClusterRole argocd-application-controller: it grants what rbac-wildcard, rbac-escalation-verbs, rbac-secrets-read, rbac-port-forward-proxy, rbac-workload-create, rbac-policy-write, rbac-csr-approval, rbac-sensitive-subresources forbid",
        'spec.template.spec.serviceAccountName',
      ],
    ]);
  });

  it("finds the namespace's default ServiceAccount bound to cluster-admin for a pod that names none", () => {
    expect(findings('fail/default-sa-cluster-admin.yaml').map((f) => [f.message, f.path])).toEqual([
      [
        "runs as ServiceAccount 'shop/default', which RoleBinding shop/default-admin binds to ClusterRole cluster-admin: it grants what rbac-cluster-admin-binding forbids",
        'spec.serviceAccountName',
      ],
    ]);
  });

  it('finds RoleBindings of other namespaces that name the account or every account of its namespace', () => {
    expect(findings('fail/rolebinding-in-another-namespace.yaml').map((f) => [f.message, f.path])).toEqual([
      [
        "runs as ServiceAccount 'shop/web', which RoleBinding payments/shop-web-reads-secrets binds to Role payments/read-secrets: it grants what rbac-secrets-read forbids",
        'spec.template.spec.serviceAccountName',
      ],
      [
        "runs as ServiceAccount 'shop/web', which RoleBinding billing/all-of-shop binds to Role billing/everything: it grants what rbac-wildcard, rbac-escalation-verbs, rbac-secrets-read, rbac-port-forward-proxy, rbac-workload-create, rbac-policy-write, rbac-csr-approval, rbac-sensitive-subresources forbid",
        'spec.template.spec.serviceAccountName',
      ],
    ]);
  });

  it('passes a least-privilege binding, and a dangerous role bound to another account', () => {
    expect(findings('pass/least-privilege.yaml')).toEqual([]);
  });

  it("leaves out what the role's own exemption waives", () => {
    const objects = read('fail/controller-with-wildcard-role.yaml').map((o) =>
      o.kind === 'ClusterRole'
        ? {
            ...o,
            metadata: {
              ...o.metadata,
              annotations: {
                'exempt.bulwark.dev/rbac-wildcard': 'the GitOps controller manages every kind by design',
                'exempt.bulwark.dev/rbac-escalation-verbs': 'idem',
                'exempt.bulwark.dev/rbac-secrets-read': 'idem',
                'exempt.bulwark.dev/rbac-sensitive-subresources': 'idem',
                'exempt.bulwark.dev/rbac-port-forward-proxy': 'idem',
                'exempt.bulwark.dev/rbac-workload-create': 'idem',
                'exempt.bulwark.dev/rbac-policy-write': 'idem',
                'exempt.bulwark.dev/rbac-csr-approval': 'idem',
              },
            },
          }
        : o,
    );
    expect(audit(objects, { only: ['workload-service-account-powers'] }).findings).toEqual([]);
  });

  describe("with grants (--exemptions, the cluster's ExemptionGrantSet)", () => {
    const RULES = ['rbac-wildcard', 'rbac-secrets-read'];
    // The role's author asks to be exempted from what its rules fail; the binding's author from cluster-admin.
    const requested = (objects: K8sObject[]) =>
      objects.map((o) =>
        o.kind === 'Role' || o.kind === 'RoleBinding'
          ? {
              ...o,
              metadata: {
                ...o.metadata,
                annotations: Object.fromEntries(
                  [...RULES, 'rbac-cluster-admin-binding'].map((r) => [`exempt.bulwark.dev/${r}`, 'we need it']),
                ),
              },
            }
          : o,
      );
    const grant = (namespace: string, kind: string, name: string, rule: string) => ({
      namespace,
      kind,
      name,
      rule,
      reason: 'reviewed',
      approver: 'platform-team',
      expires: '2099-01-01T00:00:00Z',
    });
    const run = (objects: K8sObject[], grants: ReturnType<typeof grant>[]) =>
      audit(objects, { only: ['workload-service-account-powers'], grants }).findings.map((f) => f.message);

    it("does not let a role's or a binding's ungranted request silence the pod's finding", () => {
      const objects = requested(read('fail/rolebinding-in-another-namespace.yaml'));
      expect(run(objects, [])).toEqual([
        "runs as ServiceAccount 'shop/web', which RoleBinding payments/shop-web-reads-secrets binds to Role payments/read-secrets: it grants what rbac-secrets-read forbids",
        "runs as ServiceAccount 'shop/web', which RoleBinding billing/all-of-shop binds to Role billing/everything: it grants what rbac-wildcard, rbac-escalation-verbs, rbac-secrets-read, rbac-port-forward-proxy, rbac-workload-create, rbac-policy-write, rbac-csr-approval, rbac-sensitive-subresources forbid",
      ]);
      const admin = requested(read('fail/default-sa-cluster-admin.yaml'));
      expect(run(admin, [])).toEqual([
        "runs as ServiceAccount 'shop/default', which RoleBinding shop/default-admin binds to ClusterRole cluster-admin: it grants what rbac-cluster-admin-binding forbids",
      ]);
    });

    it('leaves out exactly what the grants cover, per role and rule', () => {
      const objects = requested(read('fail/rolebinding-in-another-namespace.yaml'));
      expect(
        run(objects, [
          grant('payments', 'Role', 'read-secrets', 'rbac-secrets-read'),
          grant('billing', 'Role', 'everything', 'rbac-wildcard'),
        ]),
      ).toEqual([
        "runs as ServiceAccount 'shop/web', which RoleBinding billing/all-of-shop binds to Role billing/everything: it grants what rbac-escalation-verbs, rbac-secrets-read, rbac-port-forward-proxy, rbac-workload-create, rbac-policy-write, rbac-csr-approval, rbac-sensitive-subresources forbid",
      ]);
      const admin = requested(read('fail/default-sa-cluster-admin.yaml'));
      expect(run(admin, [grant('shop', 'RoleBinding', 'default-admin', 'rbac-cluster-admin-binding')])).toEqual([]);
    });
  });
});
