import { isRecord } from '../../k8s/k8s-object';
import { GRANT_API_VERSION, GRANT_SET_KIND, GRANT_SET_NAME, parseExpires } from '../../policy/exemption-grants';
import { GRANT_CRD_NAME, GRANT_EDITOR_ROLE } from '../../policy/admission/exemption-grant-objects';
import { getPath, PlannedResource, PlanView, resourceLabel } from '../posture/planned-resource';
import { Evidence, missing, PostureControl } from '../posture/posture-control';

const GRANT_SET = `kubernetes:${GRANT_API_VERSION}:${GRANT_SET_KIND}`;
const CRD = 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition';
const CLUSTER_ROLE = 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole';
const BINDING_TYPES = [
  'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding',
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding',
];
const POLICY_BINDING = 'kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding';

/** One grant of the planned ExemptionGrantSet, as the plan shows it. */
export interface PlannedGrant {
  readonly rule: string;
  readonly namespace: string;
  /** `Deployment/node-exporter`, or `pods with app=a` for a selector (grantObjectText). */
  readonly object: string;
  readonly reason: string;
  readonly approver: string;
  readonly expires: string;
  /** The expiry is not after the plan's time (or is not a date): the grant no longer counts. */
  readonly expired: boolean;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/** A grant's namespace as the plan shows it: `(cluster-scoped)` for a grant of a ClusterRole or webhook configuration. */
export function grantNamespaceText(grant: { namespace?: unknown }): string {
  return grant.namespace === undefined ? '(cluster-scoped)' : text(grant.namespace);
}

/** What a grant names, in words: `Deployment/node-exporter`, or `pods with app=a,tier in (x,y)` for a selector. */
export function grantObjectText(grant: { kind?: unknown; name?: unknown; selector?: unknown }): string {
  if (grant.name !== undefined) return `${text(grant.kind)}/${text(grant.name)}`;
  const selector = isRecord(grant.selector) ? grant.selector : {};
  const labels = isRecord(selector.matchLabels) ? Object.entries(selector.matchLabels) : [];
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const parts = [
    ...labels.map(([k, v]) => `${k}=${text(v)}`),
    ...expressions.map((e: unknown) => {
      const x = isRecord(e) ? e : {};
      const values = Array.isArray(x.values) ? ` (${x.values.map(text).join(',')})` : '';
      return `${text(x.key)} ${text(x.operator)}${values}`;
    }),
  ];
  return `pods with ${parts.length > 0 ? parts.join(',') : '(empty selector)'}`;
}

/** The grants of the ExemptionGrantSet `bulwark` a plan registers, or undefined when it registers none. */
export function plannedGrants(plan: PlanView, now: Date = new Date()): PlannedGrant[] | undefined {
  const set = plan.ofType(GRANT_SET).find((r) => getPath(r.inputs, 'metadata.name') === GRANT_SET_NAME);
  if (!set) return undefined;
  const grants = getPath(set.inputs, 'spec.grants');
  return (Array.isArray(grants) ? grants : []).map((g: unknown) => {
    const grant = isRecord(g) ? g : {};
    const expiry = parseExpires(grant.expires);
    return {
      rule: text(grant.rule),
      namespace: grantNamespaceText(grant),
      object: grantObjectText(grant),
      reason: text(grant.reason),
      approver: text(grant.approver),
      expires: text(grant.expires),
      expired: expiry === undefined || expiry.getTime() <= now.getTime(),
    };
  });
}

function one(plan: PlanView, type: string, name: string): PlannedResource | undefined {
  return plan.ofType(type).find((r) => getPath(r.inputs, 'metadata.name') === name);
}

/**
 * The exemption grants a stack installs (docs/exemptions.md): the ExemptionGrantSet `bulwark` with its count and
 * every grant (rule, namespace, object, approver, expiry; an expired one fails the control), the CRD whose schema
 * refuses malformed grants, the editor ClusterRole that writes nothing but grant sets and that the baseline binds to
 * nobody, and every admission policy binding reading the set with `parameterNotFoundAction: Deny` (deleting the set
 * denies rather than exempts).
 */
export const EXEMPTION_GRANTS_CONTROL: PostureControl = {
  id: 'baseline-exemption-grants',
  title: 'Exemption grants installed from the stack config, unexpired, writable only by cluster admins and approvers',
  references: ['bulwark exemptions', 'OWASP K04', 'Kyverno PolicyExceptions', 'PSA exemptions'],
  evaluate(plan) {
    const set = one(plan, GRANT_SET, GRANT_SET_NAME);
    if (!set)
      return [missing(GRANT_SET, `the ExemptionGrantSet ${GRANT_SET_NAME} (empty when no grant is configured)`)];
    const label = resourceLabel(set);
    const grants = plannedGrants(plan) ?? [];
    const expired = grants.filter((g) => g.expired).length;
    const evidence: Evidence[] = [
      {
        resource: label,
        property: 'spec.grants (count)',
        actual: grants.length,
        expected: 'the grants of bulwark:exemptionGrants (none by default)',
        pass: true,
      },
      ...grants.map((g, i): Evidence => ({
        resource: label,
        property: `spec.grants[${i}]`,
        actual: `${g.rule} for ${g.namespace}/${g.object}, approved by ${g.approver}, expires ${g.expires}${g.expired ? ' (EXPIRED)' : ''}`,
        expected: 'an expiry in the future',
        pass: !g.expired,
      })),
    ];
    if (expired > 0) {
      evidence.push({
        resource: label,
        property: 'spec.grants (expired)',
        actual: expired,
        expected: '0: renew or remove expired grants in bulwark:exemptionGrants',
        pass: false,
      });
    }
    const crd = one(plan, CRD, GRANT_CRD_NAME);
    evidence.push(
      crd
        ? {
            resource: resourceLabel(crd),
            property: 'spec.scope',
            actual: getPath(crd.inputs, 'spec.scope'),
            expected: '"Cluster" (no RoleBinding reaches it)',
            pass: getPath(crd.inputs, 'spec.scope') === 'Cluster',
          }
        : missing(CRD, GRANT_CRD_NAME),
    );
    const editor = one(plan, CLUSTER_ROLE, GRANT_EDITOR_ROLE);
    if (!editor) evidence.push(missing(CLUSTER_ROLE, GRANT_EDITOR_ROLE));
    else {
      const rules = getPath(editor.inputs, 'rules');
      const onlyGrants =
        Array.isArray(rules) &&
        rules.every(
          (r) =>
            JSON.stringify(getPath(r, 'apiGroups')) === JSON.stringify([GRANT_API_VERSION.split('/')[0]]) &&
            JSON.stringify(getPath(r, 'resources')) === JSON.stringify(['exemptiongrantsets']),
        );
      const labels = getPath(editor.inputs, 'metadata.labels');
      const aggregated = isRecord(labels) && Object.keys(labels).some((k) => k.includes('aggregate-to-'));
      evidence.push(
        {
          resource: resourceLabel(editor),
          property: 'rules',
          actual: rules,
          expected: 'only exemptiongrantsets.bulwark.dev',
          pass: onlyGrants,
        },
        {
          resource: resourceLabel(editor),
          property: 'metadata.labels (aggregate-to-*)',
          actual: aggregated ? labels : 'none',
          expected: 'none (not aggregated into admin, edit or view)',
          pass: !aggregated,
        },
      );
    }
    // Who the stack binds the editor role to: people and groups of approvers, never workloads or everyone.
    const editorBindings = BINDING_TYPES.flatMap((t) => plan.ofType(t)).filter(
      (b) => getPath(b.inputs, 'roleRef.name') === GRANT_EDITOR_ROLE,
    );
    const subjects = editorBindings.flatMap((b) => {
      const list = getPath(b.inputs, 'subjects');
      return (Array.isArray(list) ? list : []).map((s) => `${text(getPath(s, 'kind'))} ${text(getPath(s, 'name'))}`);
    });
    const broad = subjects.filter((s) =>
      /^ServiceAccount |^Group system:(authenticated|unauthenticated|serviceaccounts)/.test(s),
    );
    evidence.push({
      resource: `bindings of ClusterRole ${GRANT_EDITOR_ROLE} (${editorBindings.length})`,
      property: 'subjects',
      actual: subjects.length > 0 ? subjects : 'none (bound outside the stack, or only cluster admins write grants)',
      expected: 'people or approver groups; no ServiceAccount, system:authenticated or system:serviceaccounts',
      pass: broad.length === 0,
    });
    const policyBindings = plan.ofType(POLICY_BINDING);
    const notReading = policyBindings.filter(
      (b) =>
        getPath(b.inputs, 'spec.paramRef.name') !== GRANT_SET_NAME ||
        getPath(b.inputs, 'spec.paramRef.parameterNotFoundAction') !== 'Deny',
    );
    evidence.push({
      resource: `${POLICY_BINDING} (${policyBindings.length})`,
      property: 'spec.paramRef',
      actual: `${policyBindings.length - notReading.length} of ${policyBindings.length}${
        notReading.length > 0 ? `; not: ${notReading.map((b) => b.name).join(', ')}` : ''
      }`,
      expected: `{name: ${GRANT_SET_NAME}, parameterNotFoundAction: Deny} on every binding`,
      pass: policyBindings.length > 0 && notReading.length === 0,
    });
    return evidence;
  },
};
