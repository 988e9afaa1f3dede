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

/**
 * The ServiceAccounts a binding names, as `namespace\u0000name` keys, or `everyIn` the namespaces whose every
 * ServiceAccount it binds through a group (`system:serviceaccounts[:<ns>]`, `system:authenticated`; `*` for all).
 */
interface BoundSubjects {
  readonly serviceAccounts: ReadonlySet<string>;
  readonly everyIn: ReadonlySet<string>;
}

const saKey = (namespace: string, name: unknown) => `${namespace}\u0000${String(name)}`;

const SUBJECTS = new WeakMap<K8sObject, BoundSubjects>();

function boundSubjects(binding: K8sObject): BoundSubjects {
  const hit = SUBJECTS.get(binding);
  if (hit) return hit;
  const bindingNamespace = binding.metadata?.namespace || 'default';
  const serviceAccounts = new Set<string>();
  const everyIn = new Set<string>();
  for (const s of asArray(binding.subjects)) {
    if (!isRecord(s)) continue;
    if (s.kind === 'ServiceAccount' && typeof s.name === 'string') {
      serviceAccounts.add(
        saKey(typeof s.namespace === 'string' && s.namespace !== '' ? s.namespace : bindingNamespace, s.name),
      );
    } else if (s.kind === 'Group' && typeof s.name === 'string') {
      // Groups every ServiceAccount (of a namespace) belongs to.
      if (s.name === 'system:serviceaccounts' || s.name === 'system:authenticated') everyIn.add('*');
      else if (s.name.startsWith('system:serviceaccounts:'))
        everyIn.add(s.name.slice('system:serviceaccounts:'.length));
    }
  }
  const out = { serviceAccounts, everyIn };
  SUBJECTS.set(binding, out);
  return out;
}

/**
 * Every v1 binding of the input, indexed by whom it binds. A RoleBinding binds subjects of any namespace (it gives
 * them the role within its own namespace): `RoleBinding team-b/read` naming ServiceAccount `team-a/api` gives that
 * account what the role allows in team-b, so bindings are not looked up by the account's namespace alone.
 */
interface BindingIndex {
  /** By `namespace\u0000name` of a ServiceAccount subject. */
  readonly byAccount: Map<string, K8sObject[]>;
  /** By namespace whose every ServiceAccount a group subject binds (`system:serviceaccounts:<ns>`); `*` for all. */
  readonly everyIn: Map<string, K8sObject[]>;
  /** Position of each binding: RoleBindings then ClusterRoleBindings, each in input order. */
  readonly position: Map<K8sObject, number>;
}

const BINDINGS = new WeakMap<ObjectIndex, BindingIndex>();

function push<K>(map: Map<K, K8sObject[]>, key: K, binding: K8sObject): void {
  const list = map.get(key);
  if (list) list.push(binding);
  else map.set(key, [binding]);
}

function bindingIndex(index: ObjectIndex): BindingIndex {
  const hit = BINDINGS.get(index);
  if (hit) return hit;
  const out: BindingIndex = { byAccount: new Map(), everyIn: new Map(), position: new Map() };
  for (const binding of [...index.ofKind('RoleBinding'), ...index.ofKind('ClusterRoleBinding')]) {
    if (binding.apiVersion !== 'rbac.authorization.k8s.io/v1') continue;
    out.position.set(binding, out.position.size);
    const { serviceAccounts, everyIn } = boundSubjects(binding);
    for (const namespace of everyIn) push(out.everyIn, namespace, binding);
    for (const key of serviceAccounts) push(out.byAccount, key, binding);
  }
  BINDINGS.set(index, out);
  return out;
}

/**
 * The v1 RoleBindings (of any namespace) and ClusterRoleBindings that bind ServiceAccount `namespace/name`, by name or
 * through a group, in input order (RoleBindings first). Indexed once per input, so asking for every ServiceAccount
 * stays linear in the bindings.
 */
function bindingsOf(index: ObjectIndex, namespace: string, name: string): K8sObject[] {
  const { byAccount, everyIn, position } = bindingIndex(index);
  const found = new Set([
    ...(byAccount.get(saKey(namespace, name)) ?? []),
    ...(everyIn.get(namespace) ?? []),
    ...(everyIn.get('*') ?? []),
  ]);
  return [...found].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
}

function objectName(o: K8sObject): string {
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '<unnamed>';
  return o.metadata?.namespace ? `${o.kind} ${o.metadata.namespace}/${name}` : `${o.kind} ${name}`;
}

/** Whether an object's exemption from a rule counts (RuleContext.exemptionCounts). */
export type ExemptionCounts = (object: K8sObject, ruleId: string) => boolean;

/** An audit with no grants: a valid exemption annotation counts on its own. */
const DECLARED: ExemptionCounts = (object, ruleId) => exemptionsOf(object).has(ruleId);

// Memoised per audit (its exemption decisions) and role: every ServiceAccount bound to a role asks about the same role.
const ROLE_PROBLEMS = new WeakMap<ExemptionCounts, WeakMap<K8sObject, string[]>>();

/** The RBAC rule ids a Role's or ClusterRole's rules fail, leaving out those the role's own exemption waives. */
function roleProblems(role: K8sObject, counts: ExemptionCounts): string[] {
  let memo = ROLE_PROBLEMS.get(counts);
  if (!memo) ROLE_PROBLEMS.set(counts, (memo = new WeakMap()));
  const hit = memo.get(role);
  if (hit) return hit;
  const ids = new Set<string>();
  for (const rule of asArray(role.rules)) {
    if (!isRecord(rule)) continue;
    for (const p of policyRuleProblems(rule as PolicyRuleLike)) ids.add(p.ruleId);
  }
  const out = [...ids].filter((id) => !counts(role, id));
  memo.set(role, out);
  return out;
}

const CACHE = new WeakMap<ObjectIndex, WeakMap<ExemptionCounts, Map<string, readonly ServiceAccountPower[]>>>();

/**
 * What the RBAC rules forbid that the input's RoleBindings (of any namespace) and ClusterRoleBindings give the
 * ServiceAccount `namespace/name`, one entry per binding: a binding of cluster-admin, or of a Role or ClusterRole of
 * the input whose rules fail rbac-wildcard, rbac-escalation-verbs, rbac-secrets-read or rbac-sensitive-subresources.
 * Bindings of roles that are not in the input are not judged. What a role's or binding's own exemption waives is left
 * out only when that exemption counts in the audit (`counts`: granted, when the audit has grants). Memoised per
 * index, audit and ServiceAccount.
 */
export function serviceAccountPowers(
  index: ObjectIndex,
  namespace: string,
  name: string,
  counts: ExemptionCounts = DECLARED,
): readonly ServiceAccountPower[] {
  let byAudit = CACHE.get(index);
  if (!byAudit) CACHE.set(index, (byAudit = new WeakMap()));
  let cache = byAudit.get(counts);
  if (!cache) byAudit.set(counts, (cache = new Map()));
  const key = `${namespace}\u0000${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out: ServiceAccountPower[] = [];
  for (const binding of bindingsOf(index, namespace, name)) {
    const roleRef = asRecord(binding.roleRef);
    if (typeof roleRef.name !== 'string') continue;
    if (roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') {
      if (!counts(binding, CLUSTER_ADMIN) && !out.some((p) => p.binding === objectName(binding))) {
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
    const ruleIds = roleProblems(role, counts);
    const power = { binding: objectName(binding), role: objectName(role), ruleIds };
    // The same binding read twice (alternative install files of one folder) is one binding in the cluster.
    if (ruleIds.length > 0 && !out.some((p) => p.binding === power.binding && p.role === power.role)) out.push(power);
  }
  cache.set(key, out);
  return out;
}
