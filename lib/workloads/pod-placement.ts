import { IConstruct } from 'constructs';
import type { Affinity, PodSpec, Toleration } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { NODE_POOL_KEY, nodePoolLabels, nodePoolTaint } from '../k8s/node-pools';
import { isDns1123Label } from '../construct/validators';

/** Where a sensitive workload runs. */
export interface Isolation {
  /**
   * Dedicated node pool (label and taint `bulwark.dev/pool=<pool>`), created by the cluster components.
   * Pods are pinned to it and tolerate its taint; nothing else is scheduled there.
   */
  readonly pool: string;
}

/** Scheduling choices of a pod. None of them can put it on an isolated pool it did not ask for with `isolation`. */
export interface PlacementProps {
  /** Run on a dedicated, tainted node pool. @default shared nodes */
  readonly isolation?: Isolation;
  /** Node labels the pod requires (the pool label is set by `isolation` only). @default none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Taints the pod tolerates, e.g. GPU nodes. A toleration of every taint, or of the pool taint, is refused:
   * isolated pools are asked for with `isolation`. @default none
   */
  readonly tolerations?: readonly Toleration[];
  /** Node and pod (anti-)affinity. Terms on the pool label are refused (use `isolation`). @default none */
  readonly affinity?: Affinity;
}

function poolError(scope: IConstruct, prop: string, received: unknown, problem: string) {
  return propError({
    scope,
    prop,
    received,
    problem,
    allowed: `placement that does not name '${NODE_POOL_KEY}' nor tolerate every taint`,
    fix: "ask for a dedicated pool with isolation: { pool: '<pool>' }",
  });
}

/** nodeSelector, tolerations and affinity of the pod, with the isolated pool (if any) pinned and tolerated. */
export function resolvePlacement(scope: IConstruct, props: PlacementProps): Partial<PodSpec> {
  const own = props.isolation ? resolveIsolation(scope, props.isolation) : undefined;
  const nodeSelector: Record<string, string> = {};
  for (const [k, v] of Object.entries(props.nodeSelector ?? {})) {
    if (k === NODE_POOL_KEY) throw poolError(scope, `nodeSelector['${k}']`, v, 'the pool label is set by isolation');
    if (typeof v !== 'string') {
      throw propError({
        scope,
        prop: `nodeSelector['${k}']`,
        received: v,
        allowed: 'a label value (string)',
        fix: "e.g. nodeSelector: { 'kubernetes.io/arch': 'arm64' }",
      });
    }
    nodeSelector[k] = v;
  }
  const tolerations: Toleration[] = [];
  (props.tolerations ?? []).forEach((t, i) => {
    const prop = `tolerations[${i}]`;
    if (!t.key && t.operator === 'Exists') {
      throw poolError(scope, prop, t, 'tolerates every taint, the taints that keep pods off isolated pools included');
    }
    if (!t.key) {
      throw propError({
        scope,
        prop: `${prop}.key`,
        received: t.key,
        allowed: 'the key of the taint to tolerate',
        fix: "e.g. { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }",
      });
    }
    if (t.key === NODE_POOL_KEY) throw poolError(scope, prop, t, 'tolerates the taint of isolated pools');
    tolerations.push({ ...t });
  });
  const affinity = props.affinity;
  if (affinity?.nodeAffinity) {
    const na = affinity.nodeAffinity;
    const terms = [
      ...(na.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []),
      ...(na.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.preference),
    ];
    for (const term of terms) {
      for (const e of [...(term?.matchExpressions ?? []), ...(term?.matchFields ?? [])]) {
        if (e.key === NODE_POOL_KEY) throw poolError(scope, 'affinity.nodeAffinity', e, 'a term on the pool label');
      }
    }
  }
  const selector = { ...nodeSelector, ...(own?.nodeSelector ?? {}) };
  const allTolerations = [...tolerations, ...(own?.tolerations ?? [])];
  return {
    ...(Object.keys(selector).length ? { nodeSelector: selector } : {}),
    ...(allTolerations.length ? { tolerations: allTolerations } : {}),
    ...(affinity ? { affinity } : {}),
  };
}

function resolveIsolation(scope: IConstruct, isolation: Isolation): Pick<PodSpec, 'nodeSelector' | 'tolerations'> {
  if (typeof isolation.pool !== 'string' || !isDns1123Label(isolation.pool)) {
    throw propError({
      scope,
      prop: 'isolation.pool',
      received: isolation.pool,
      allowed: 'a node pool name (DNS-1123 label)',
      fix: "name the dedicated pool, e.g. 'sensitive', and create it with the cluster component's isolated pool",
    });
  }
  const taint = nodePoolTaint(isolation.pool);
  return {
    // Pinned to the pool (nodeSelector) and tolerating its taint; the taint keeps every other pod off it.
    nodeSelector: nodePoolLabels(isolation.pool),
    tolerations: [{ key: NODE_POOL_KEY, operator: 'Equal', value: taint.value, effect: taint.effect }],
  };
}
