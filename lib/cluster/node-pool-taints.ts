import { nodePoolLabels, nodePoolTaint } from '../k8s/node-pools';

/** A Kubernetes node taint as the scheduler sees it (effect in Kubernetes spelling: `NoSchedule`). */
export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
}

/** Kubernetes effect names and the spelling the EKS and GKE APIs use for them. */
const CLOUD_EFFECTS: Readonly<Record<string, string>> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

/**
 * The taint of a dedicated pool as EKS node groups and GKE node pools take it (`effect: NO_SCHEDULE`). Built from
 * `nodePoolTaint`, the taint that workloads with `isolation: { pool }` tolerate.
 */
export function isolatedPoolTaint(pool: string): { key: string; value: string; effect: string } {
  const t = nodePoolTaint(pool);
  return { key: t.key, value: t.value, effect: CLOUD_EFFECTS[t.effect] };
}

/** The same taint as an AKS agent pool takes it: `bulwark.dev/pool=sensitive:NoSchedule`. */
export function isolatedPoolAksTaint(pool: string): string {
  const t = nodePoolTaint(pool);
  return `${t.key}=${t.value}:${t.effect}`;
}

/** The node labels of a dedicated pool: what `isolation: { pool }` selects. */
export function isolatedPoolLabels(pool: string): Record<string, string> {
  return nodePoolLabels(pool);
}

/**
 * Reads a registered taint list in any cloud's notation (EKS/GKE objects with `NO_SCHEDULE`, AKS strings
 * `key=value:Effect`) into Kubernetes spelling; entries that are neither are left out.
 */
export function normalizeTaints(value: unknown): NodeTaint[] {
  if (!Array.isArray(value)) return [];
  const out: NodeTaint[] = [];
  for (const item of value) {
    if (typeof item === 'string') {
      const m = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(item);
      if (m) out.push({ key: m[1], value: m[2] ?? '', effect: m[3] });
    } else if (item !== null && typeof item === 'object') {
      const t = item as Record<string, unknown>;
      if (typeof t.key !== 'string' || typeof t.effect !== 'string') continue;
      const effect = Object.keys(CLOUD_EFFECTS).find((k) => CLOUD_EFFECTS[k] === t.effect) ?? t.effect;
      out.push({ key: t.key, value: typeof t.value === 'string' ? t.value : '', effect });
    }
  }
  return out;
}
