import { NODE_POOL_KEY } from '../../k8s/node-pools';
import { normalizeTaints } from '../node-pool-taints';
import { getPath, PlannedResource, PlanView, resourceLabel } from './planned-resource';
import { Evidence, missing, PostureControl } from './posture-control';

/** One node pool as registered: a resource, or one entry of a list input (AKS's inline system pool). */
export interface RegisteredPool {
  readonly resource: PlannedResource;
  /** Path of the pool inside the resource's inputs, '' for a resource that is the pool. */
  readonly at: string;
  /** Path (below `at`) of the Kubernetes node labels and of the taints. */
  readonly labelsPath: string;
  readonly taintsPath: string;
}

export interface IsolatedPoolsControlSpec {
  readonly id: string;
  readonly references: readonly string[];
  /** Every node pool of the plan; the control needs at least one. */
  readonly pools: (plan: PlanView) => readonly RegisteredPool[];
  /** Type token named when there is no pool at all. */
  readonly poolType: string;
}

const join = (a: string, b: string) => (a === '' ? b : `${a}.${b}`);

/**
 * Dedicated pools for sensitive workloads (`isolation: { pool }` in the constructs): every pool labelled
 * `bulwark.dev/pool=<p>` carries the taint `bulwark.dev/pool=<p>:NoSchedule`, so that only pods tolerating it land
 * there, and no other pool carries either (a taint without the label strands the pods that tolerate it; a label
 * without the taint lets every pod in). Shared pools pass with that stated; a stack without isolated pools passes.
 */
export function isolatedPoolsControl(spec: IsolatedPoolsControlSpec): PostureControl {
  return {
    id: spec.id,
    title: `Isolated pools: labelled and tainted ${NODE_POOL_KEY}=<pool>:NoSchedule, other pools neither`,
    references: spec.references,
    evaluate(plan) {
      const pools = spec.pools(plan);
      if (pools.length === 0) return [missing(spec.poolType, 'at least one node pool')];
      return pools.flatMap((p): Evidence[] => {
        const resource = resourceLabel(p.resource);
        const labelsPath = join(p.at, p.labelsPath);
        const taintsPath = join(p.at, p.taintsPath);
        const label = getPath(p.resource.inputs, `${labelsPath}["${NODE_POOL_KEY}"]`);
        const rawTaints = getPath(p.resource.inputs, taintsPath);
        const poolTaints = normalizeTaints(rawTaints).filter((t) => t.key === NODE_POOL_KEY);
        if (label === undefined && poolTaints.length === 0) {
          return [
            {
              resource,
              property: `${labelsPath}["${NODE_POOL_KEY}"], ${taintsPath}`,
              actual: `no ${NODE_POOL_KEY} label or taint`,
              expected: `a shared pool: neither (an isolated pool: both)`,
              pass: true,
            },
          ];
        }
        const ok = typeof label === 'string' && label !== '';
        return [
          {
            resource,
            property: `${labelsPath}["${NODE_POOL_KEY}"]`,
            actual: label,
            expected: "the pool's name (the taint's value)",
            pass: ok,
          },
          {
            resource,
            property: taintsPath,
            actual: rawTaints,
            expected: `exactly one ${NODE_POOL_KEY} taint: ${NODE_POOL_KEY}=${ok ? label : '<label>'}:NoSchedule`,
            pass:
              ok && poolTaints.length === 1 && poolTaints[0].value === label && poolTaints[0].effect === 'NoSchedule',
          },
        ];
      });
    },
  };
}
