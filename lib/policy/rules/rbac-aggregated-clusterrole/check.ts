import { asArray, isRecord, K8sObject } from '../../../k8s/k8s-object';
import { matchesLabels, parseLabelSelector } from '../../../k8s/label-selector';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const DEFAULTS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

/**
 * Labels of the built-in ClusterRoles an aggregation must not absorb: cluster-admin and admin (no aggregation
 * label), edit (aggregated into admin) and the system:aggregate-to-admin/edit roles, plus a role with no labels at
 * all. A selector matching any of them pulls their rules into the aggregated role, and so does every ClusterRole a
 * chart later labels the same way.
 */
const POWERFUL: readonly (readonly [role: string, labels: Readonly<Record<string, string>>])[] = [
  ['cluster-admin', DEFAULTS],
  ['admin', DEFAULTS],
  ['edit', { ...DEFAULTS, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }],
  ['system:aggregate-to-admin', { ...DEFAULTS, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }],
  ['system:aggregate-to-edit', { ...DEFAULTS, 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }],
  ['any ClusterRole without labels', {}],
];

/** What a broad aggregation rule absorbs (the built-in roles its selectors match), or [] when it is narrow. */
export function broadAggregation(role: K8sObject): string[] {
  const rule = role.aggregationRule;
  if (!isRecord(rule)) return [];
  const absorbed = new Set<string>();
  for (const raw of asArray(rule.clusterRoleSelectors)) {
    // A selector the API server would refuse selects nothing; an empty one selects every ClusterRole.
    const selector = raw === null ? {} : parseLabelSelector(raw);
    if (!selector) continue;
    for (const [name, labels] of POWERFUL) if (matchesLabels(selector, labels)) absorbed.add(name);
  }
  return [...absorbed];
}

export const rbacAggregatedClusterrole = defineRule({
  id: 'rbac-aggregated-clusterrole',
  title: 'ServiceAccounts must not be bound to a ClusterRole that aggregates broad labels',
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
    "Give the aggregated ClusterRole's clusterRoleSelectors a label of its own (e.g. example.com/aggregate-to-api-reader: 'true') that only the roles meant for it carry, or bind a ClusterRole with explicit rules instead: a selector that matches admin, edit, cluster-admin or unlabeled roles grows with every role installed later.",
  check(object, ctx) {
    const ref = object.roleRef;
    if (!isRecord(ref) || ref.kind !== 'ClusterRole' || typeof ref.name !== 'string') return NO_VIOLATIONS;
    if (ref.apiGroup !== undefined && ref.apiGroup !== RBAC_GROUP) return NO_VIOLATIONS;
    const role = ctx.index.ofKind('ClusterRole').find((r) => r.metadata?.name === ref.name);
    if (!role) return NO_VIOLATIONS;
    const absorbed = broadAggregation(role);
    if (absorbed.length === 0) return NO_VIOLATIONS;
    const out: Violation[] = [];
    asArray(object.subjects).forEach((s, i) => {
      if (!isRecord(s) || s.kind !== 'ServiceAccount') return;
      out.push({
        message: `subjects[${i}] ServiceAccount '${String(s.namespace ?? object.metadata?.namespace ?? '')}/${String(s.name)}' is bound to ClusterRole '${ref.name}', whose aggregationRule selects the labels of ${absorbed.join(', ')}: it holds their rules and those of every ClusterRole labelled alike later; select a label of its own or bind explicit rules`,
        path: `subjects[${i}]`,
      });
    });
    return out;
  },
});
