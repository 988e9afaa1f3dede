import { asArray, asRecord, isRecord, K8sObject } from './k8s-object';
import { LabelSelector, parseLabelSelector } from './label-selector';
import { ObjectIndex } from './object-index';

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

const CACHE = new WeakMap<ObjectIndex, Map<string, NetworkPolicyView[]>>();

/** NetworkPolicies of the input in a namespace (objects without namespace count as `default`), indexed once. */
export function networkPoliciesIn(index: ObjectIndex, namespace: string): readonly NetworkPolicyView[] {
  let byNamespace = CACHE.get(index);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const o of index.ofKind('NetworkPolicy')) {
      const ns = o.metadata?.namespace || 'default';
      const list = byNamespace.get(ns);
      if (list) list.push(view(o));
      else byNamespace.set(ns, [view(o)]);
    }
    CACHE.set(index, byNamespace);
  }
  return byNamespace.get(namespace) ?? [];
}
