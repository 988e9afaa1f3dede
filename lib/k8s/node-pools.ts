/**
 * Dedicated node pools for sensitive workloads. The cluster components create a pool labelled and tainted with this
 * key; workloads with `isolation: { pool }` select it and tolerate its taint, every other pod is kept off it.
 * @see NSA/CISA "Pod security: separate sensitive workloads", OWASP K07
 */
export const NODE_POOL_KEY = 'bulwark.dev/pool';

/** The taint a dedicated pool carries: pods without the matching toleration are never scheduled there. */
export function nodePoolTaint(pool: string): { key: string; value: string; effect: 'NoSchedule' } {
  return { key: NODE_POOL_KEY, value: pool, effect: 'NoSchedule' };
}

/** The node label a dedicated pool carries. */
export function nodePoolLabels(pool: string): Record<string, string> {
  return { [NODE_POOL_KEY]: pool };
}
