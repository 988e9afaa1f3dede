import { cel } from './admission/cel-runtime';
import { checkGrant, ExemptionGrant } from '../../lib/policy/exemption-grants';
import { exemptionGrantCrd } from '../../lib/policy/admission/exemption-grant-objects';
import { audit } from '../../lib/policy';
import type { K8sObject } from '../../lib/k8s/k8s-object';

// A cluster-scoped object (a ClusterRole, a webhook configuration) has no namespace, so a grant names it by kind and
// name alone. Such a grant must never reach a namespaced object, in particular one written without its namespace.

const NOW = new Date('2026-11-30T12:00:00Z');
const BASE = { rule: 'rbac-policy-write', reason: 'keeps its webhook current', approver: 'PLAT-7' };
const EXPIRES = '2027-06-30T00:00:00Z';
const ROLE_RULES = [
  {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['validatingwebhookconfigurations'],
    verbs: ['update'],
    resourceNames: ['x'],
  },
];
const requested = { 'exempt.bulwark.dev/rbac-policy-write': 'keeps its webhook current' };
const clusterRole = (name: string): K8sObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, annotations: requested },
  rules: ROLE_RULES,
});
const role = (name: string, namespace?: string): K8sObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name, ...(namespace ? { namespace } : {}), annotations: requested },
  rules: ROLE_RULES,
});

const findings = (objects: K8sObject[], grants: ExemptionGrant[]) =>
  audit(objects, { grants, now: NOW })
    .findings.filter((f) => f.ruleId === BASE.rule)
    .map((f) => `${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name}`);

describe('grants of cluster-scoped objects', () => {
  const grant: ExemptionGrant = { ...BASE, kind: 'ClusterRole', name: 'policy-controller-webhook', expires: EXPIRES };

  it('a grant without namespace names a ClusterRole by kind and name, and covers exactly it', () => {
    expect(checkGrant({ ...grant }, 'g').problems).toEqual([]);
    const objects = [clusterRole('policy-controller-webhook'), clusterRole('other')];
    expect(findings(objects, [])).toEqual(['ClusterRole /policy-controller-webhook', 'ClusterRole /other']);
    expect(findings(objects, [grant])).toEqual(['ClusterRole /other']);
  });

  it('never covers a namespaced object of the same name, with or without its namespace written', () => {
    const objects = [role('policy-controller-webhook'), role('policy-controller-webhook', 'shop')];
    expect(findings(objects, [grant])).toHaveLength(2);
    // Even a grant built by hand with a namespaced kind and no namespace (checkGrant refuses it) covers nothing.
    const forged = { ...grant, kind: 'Role' };
    expect(findings(objects, [forged])).toHaveLength(2);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a namespaced kind without namespace',
      { ...BASE, kind: 'Role', name: 'x', expires: EXPIRES },
      'g.namespace: expected the namespace of the exempted objects (a DNS-1123 label; left out only for a cluster-scoped kind such as ClusterRole), got undefined',
    ],
    [
      'a selector without namespace',
      { ...BASE, selector: { matchLabels: { app: 'x' } }, expires: EXPIRES },
      'g.namespace: expected the namespace of the exempted objects (a DNS-1123 label; left out only for a cluster-scoped kind such as ClusterRole), got undefined',
    ],
    [
      'a cluster-scoped kind with a namespace',
      { ...grant, namespace: 'cosign-system' },
      'g.namespace: ClusterRole is cluster-scoped: leave namespace out to grant ClusterRole "policy-controller-webhook"',
    ],
  ])('checkGrant refuses %s', (_label, value, message) => {
    expect(checkGrant(value, 'g').problems.map((p) => `${p.path}: ${p.message}`)).toContain(message);
  });

  it("the CRD's schema refuses what checkGrant refuses (its CEL run by a CEL engine)", () => {
    const crd = exemptionGrantCrd() as unknown as {
      spec: {
        versions: {
          schema: {
            openAPIV3Schema: {
              properties: {
                spec: { properties: { grants: { items: { 'x-kubernetes-validations': { rule: string }[] } } } };
              };
            };
          };
        }[];
      };
    };
    const item = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.grants.items;
    const valid = (self: Record<string, unknown>) =>
      item['x-kubernetes-validations'].every((v) => cel.evaluate(v.rule, { self }) === true);
    expect(valid({ ...grant })).toBe(true);
    expect(valid({ ...grant, kind: 'ValidatingWebhookConfiguration' })).toBe(true);
    expect(valid({ ...grant, kind: 'Role' })).toBe(false);
    expect(valid({ ...BASE, selector: { matchLabels: { app: 'x' } }, expires: EXPIRES })).toBe(false);
    expect(valid({ ...grant, kind: 'Role', namespace: 'shop' })).toBe(true);
  });
});
