import { asArray, asRecord, isRecord, K8sObject } from './k8s-object';
import { LabelSelector, matchesLabels, parseLabelSelector, selectsEverything } from './label-selector';
import { ObjectIndex } from './object-index';

/** The one served API version of NetworkPolicy. */
export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';

export type PolicyType = 'Ingress' | 'Egress';

/** A NetworkPolicy of the input, read once. */
export interface NetworkPolicyView {
  readonly object: K8sObject;
  readonly name: string;
  /** spec.podSelector (a missing one reads as `{}`); undefined when malformed, so it selects no pod. */
  readonly podSelector?: LabelSelector;
  /**
   * Effective policyTypes: spec.policyTypes when set, else Ingress plus Egress when spec.egress is present
   * (the API server's defaulting).
   */
  readonly policyTypes: ReadonlySet<PolicyType>;
  /** Directions with a rule that has neither peers nor ports, which allows all traffic in that direction. */
  readonly allowsAll: ReadonlySet<PolicyType>;
}

function view(object: K8sObject): NetworkPolicyView {
  const spec = asRecord(object.spec);
  const podSelector =
    spec.podSelector === undefined || spec.podSelector === null ? {} : parseLabelSelector(spec.podSelector);
  const policyTypes = new Set<PolicyType>();
  if (Array.isArray(spec.policyTypes)) {
    for (const t of spec.policyTypes) if (t === 'Ingress' || t === 'Egress') policyTypes.add(t);
  } else {
    policyTypes.add('Ingress');
    if (spec.egress !== undefined && spec.egress !== null) policyTypes.add('Egress');
  }
  const allowsAll = new Set<PolicyType>();
  for (const [type, key, peers] of [
    ['Ingress', 'ingress', 'from'],
    ['Egress', 'egress', 'to'],
  ] as const) {
    const allowAll = asArray(spec[key]).some(
      (r) => isRecord(r) && asArray(r[peers]).length === 0 && asArray(r.ports).length === 0,
    );
    if (allowAll) allowsAll.add(type);
  }
  return {
    object,
    name: object.metadata?.name ?? '<unnamed>',
    ...(podSelector !== undefined ? { podSelector } : {}),
    policyTypes,
    allowsAll,
  };
}

/** The NetworkPolicies of one namespace, with the lookup that finds those selecting given pod labels. */
interface NamespacePolicies {
  readonly all: NetworkPolicyView[];
  /** Policies whose podSelector has matchLabels, each under one of its `key=value` pairs (a pod must carry it). */
  readonly byLabel: Map<string, NetworkPolicyView[]>;
  /** Policies whose podSelector has no matchLabels (empty, or matchExpressions only): candidates for every pod. */
  readonly unkeyed: NetworkPolicyView[];
  /** Each policy's position in `all` (input order), to order a lookup's result without scanning `all`. */
  readonly position: Map<NetworkPolicyView, number>;
}

const CACHE = new WeakMap<ObjectIndex, Map<string, NamespacePolicies>>();

const labelKey = (key: string, value: unknown) => `${key}\u0000${String(value)}`;

function policiesByNamespace(index: ObjectIndex): Map<string, NamespacePolicies> {
  let byNamespace = CACHE.get(index);
  if (byNamespace) return byNamespace;
  byNamespace = new Map();
  for (const o of index.ofKind('NetworkPolicy')) {
    // Only networking.k8s.io/v1 is served: extensions/v1beta1 and networking.k8s.io/v1beta1 NetworkPolicies were
    // removed (v1.16), so the API server rejects them and they isolate nothing. Calico's and Cilium's own kinds differ.
    if (o.apiVersion !== NETWORK_POLICY_API_VERSION) continue;
    const ns = o.metadata?.namespace || 'default';
    let entry = byNamespace.get(ns);
    if (!entry) byNamespace.set(ns, (entry = { all: [], byLabel: new Map(), unkeyed: [], position: new Map() }));
    const v = view(o);
    entry.position.set(v, entry.all.length);
    entry.all.push(v);
    // A malformed podSelector selects no pod: it is in no lookup list.
    if (!v.podSelector) continue;
    const first = Object.entries(v.podSelector.matchLabels ?? {})[0];
    if (!first) {
      entry.unkeyed.push(v);
      continue;
    }
    const key = labelKey(first[0], first[1]);
    const list = entry.byLabel.get(key);
    if (list) list.push(v);
    else entry.byLabel.set(key, [v]);
  }
  CACHE.set(index, byNamespace);
  return byNamespace;
}

/** NetworkPolicies of the input in a namespace (objects without namespace count as `default`), indexed once. */
export function networkPoliciesIn(index: ObjectIndex, namespace: string): readonly NetworkPolicyView[] {
  return policiesByNamespace(index).get(namespace)?.all ?? [];
}

/**
 * Whether some NetworkPolicy of the namespace selects pods carrying `labels`. Looks candidates up by the pod's labels
 * instead of matching every policy of the namespace, so checking every pod stays linear in the input.
 */
export function anyNetworkPolicySelects(
  index: ObjectIndex,
  namespace: string,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return networkPoliciesSelecting(index, namespace, labels, true).length > 0;
}

/**
 * The NetworkPolicies of the namespace that select pods carrying `labels`, in input order (or the first one found when
 * `firstOnly`). Candidates are looked up by the pod's labels, as in anyNetworkPolicySelects.
 */
export function networkPoliciesSelecting(
  index: ObjectIndex,
  namespace: string,
  labels: Readonly<Record<string, string>> | undefined,
  firstOnly = false,
): readonly NetworkPolicyView[] {
  const entry = policiesByNamespace(index).get(namespace);
  if (!entry) return [];
  const selects = (p: NetworkPolicyView) => p.podSelector !== undefined && matchesLabels(p.podSelector, labels);
  const found = new Set<NetworkPolicyView>();
  for (const p of entry.unkeyed) {
    if (!selects(p)) continue;
    if (firstOnly) return [p];
    found.add(p);
  }
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const p of entry.byLabel.get(labelKey(key, value)) ?? []) {
      if (found.has(p) || !selects(p)) continue;
      if (firstOnly) return [p];
      found.add(p);
    }
  }
  // Input order, found in O(k log k) for the k policies that select the pod: filtering `all` would cost every policy
  // of the namespace per pod, quadratic over a namespace of many workloads.
  return [...found].sort((a, b) => (entry.position.get(a) ?? 0) - (entry.position.get(b) ?? 0));
}

const DIRECTIONS: readonly PolicyType[] = ['Ingress', 'Egress'];

/**
 * The directions in which no NetworkPolicy of the namespace denies traffic by default: none selects every pod
 * (podSelector: {}) with that policy type and without an allow-all rule. Empty when the namespace denies both.
 */
export function defaultDenyGaps(index: ObjectIndex, namespace: string): PolicyType[] {
  const denied = new Set<PolicyType>();
  // A policy selecting every pod has no matchLabels: it is among the unkeyed ones.
  for (const p of policiesByNamespace(index).get(namespace)?.unkeyed ?? []) {
    if (!p.podSelector || !selectsEverything(p.podSelector)) continue;
    for (const t of DIRECTIONS) if (p.policyTypes.has(t) && !p.allowsAll.has(t)) denied.add(t);
  }
  return DIRECTIONS.filter((t) => !denied.has(t));
}
