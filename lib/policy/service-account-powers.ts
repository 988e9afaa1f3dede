import { exemptionsOf } from './exemption-annotations';
import { asArray, asRecord, isRecord, K8sObject } from '../k8s/k8s-object';
import { ObjectIndex } from '../k8s/object-index';
import { policyRuleProblems, PolicyRuleLike } from '../k8s/rbac';

/** What the RBAC rules forbid that one binding gives a ServiceAccount, through one role. */
export interface ServiceAccountPower {
  /** `RoleBinding argocd/argocd-server` or `ClusterRoleBinding argocd-server`. */
  readonly binding: string;
  /** `Role argocd/argocd-server` or `ClusterRole cluster-admin`. */
  readonly role: string;
  /** RBAC catalog rules whose checks the role fails (`rbac-wildcard`, ..., `rbac-cluster-admin-binding`). */
  readonly ruleIds: readonly string[];
}

const CLUSTER_ADMIN = 'rbac-cluster-admin-binding';

function bindsServiceAccount(binding: K8sObject, namespace: string, name: string): boolean {
  const bindingNamespace = binding.metadata?.namespace || 'default';
  return asArray(binding.subjects).some((s) => {
    if (!isRecord(s)) return false;
    if (s.kind === 'ServiceAccount') {
      const ns = typeof s.namespace === 'string' && s.namespace !== '' ? s.namespace : bindingNamespace;
      return s.name === name && ns === namespace;
    }
    // Groups every ServiceAccount (of the namespace) belongs to.
    return (
      s.kind === 'Group' &&
      (s.name === 'system:serviceaccounts' ||
        s.name === `system:serviceaccounts:${namespace}` ||
        s.name === 'system:authenticated')
    );
  });
}

function objectName(o: K8sObject): string {
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '<unnamed>';
  return o.metadata?.namespace ? `${o.kind} ${o.metadata.namespace}/${name}` : `${o.kind} ${name}`;
}

/** The RBAC rule ids a Role's or ClusterRole's rules fail, leaving out those the role itself is exempted from. */
function roleProblems(role: K8sObject): string[] {
  const exempted = exemptionsOf(role);
  const ids = new Set<string>();
  for (const rule of asArray(role.rules)) {
    if (!isRecord(rule)) continue;
    for (const p of policyRuleProblems(rule as PolicyRuleLike)) if (!exempted.has(p.ruleId)) ids.add(p.ruleId);
  }
  return [...ids];
}

const CACHE = new WeakMap<ObjectIndex, Map<string, readonly ServiceAccountPower[]>>();

/**
 * What the RBAC rules forbid that the input's RoleBindings (of the namespace) and ClusterRoleBindings give the
 * ServiceAccount `namespace/name`, one entry per binding: a binding of cluster-admin, or of a Role or ClusterRole of
 * the input whose rules fail rbac-wildcard, rbac-escalation-verbs, rbac-secrets-read or rbac-sensitive-subresources.
 * Bindings of roles that are not in the input are not judged. Memoised per index and ServiceAccount.
 */
export function serviceAccountPowers(
  index: ObjectIndex,
  namespace: string,
  name: string,
): readonly ServiceAccountPower[] {
  let cache = CACHE.get(index);
  if (!cache) CACHE.set(index, (cache = new Map()));
  const key = `${namespace}\u0000${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out: ServiceAccountPower[] = [];
  const bindings = [...index.inNamespace('RoleBinding', namespace), ...index.ofKind('ClusterRoleBinding')];
  for (const binding of bindings) {
    if (binding.apiVersion !== 'rbac.authorization.k8s.io/v1' || !bindsServiceAccount(binding, namespace, name)) {
      continue;
    }
    const roleRef = asRecord(binding.roleRef);
    if (typeof roleRef.name !== 'string') continue;
    if (roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') {
      if (!exemptionsOf(binding).has(CLUSTER_ADMIN) && !out.some((p) => p.binding === objectName(binding))) {
        out.push({ binding: objectName(binding), role: 'ClusterRole cluster-admin', ruleIds: [CLUSTER_ADMIN] });
      }
      continue;
    }
    const roles =
      roleRef.kind === 'Role' && binding.kind === 'RoleBinding'
        ? index.inNamespace('Role', binding.metadata?.namespace || 'default')
        : roleRef.kind === 'ClusterRole'
          ? index.ofKind('ClusterRole')
          : [];
    const role = roles.find((r) => r.metadata?.name === roleRef.name && r.apiVersion === binding.apiVersion);
    if (!role) continue;
    const ruleIds = roleProblems(role);
    const power = { binding: objectName(binding), role: objectName(role), ruleIds };
    // The same binding read twice (alternative install files of one folder) is one binding in the cluster.
    if (ruleIds.length > 0 && !out.some((p) => p.binding === power.binding && p.role === power.role)) out.push(power);
  }
  cache.set(key, out);
  return out;
}
