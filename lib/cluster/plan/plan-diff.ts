import { pathSteps, PlannedResource } from '../posture/planned-resource';

/** One input a second `pulumi up` would change (or a resource it would create or delete). */
export interface PlannedChange {
  readonly urn: string;
  readonly kind: 'create' | 'delete' | 'update';
  /** Dotted path of the changed input; `-` for creates and deletes. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** True when `path` (e.g. `scalingConfig.desiredSize`) is, or lies under, one of the ignored paths. */
function ignored(path: readonly string[], ignoreChanges: readonly string[]): boolean {
  return ignoreChanges.some((i) => {
    const steps = pathSteps(i);
    return steps.length <= path.length && steps.every((s, k) => s === path[k]);
  });
}

function leafChanges(
  before: unknown,
  after: unknown,
  at: string[],
  out: { path: string[]; before: unknown; after: unknown }[],
): void {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      leafChanges(before[k], after[k], [...at, k], out);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path: at, before, after });
}

/**
 * What a second `pulumi up` would do, the way the engine decides it: the inputs the program registers now against the
 * inputs (as the provider last saw them) of the previous run, resource by resource (joined by URN), leaving out the
 * paths a resource marks `ignoreChanges`. An empty list means the update is a no-op.
 * @param previous the previous run's resources, possibly edited to what the cloud changed since (an autoscaler's count)
 */
export function planChanges(previous: readonly PlannedResource[], next: readonly PlannedResource[]): PlannedChange[] {
  const before = new Map(previous.map((r) => [r.urn, r]));
  const after = new Map(next.map((r) => [r.urn, r]));
  const changes: PlannedChange[] = [];
  for (const r of next) {
    const old = before.get(r.urn);
    if (old === undefined) {
      changes.push({ urn: r.urn, kind: 'create', path: '-' });
      continue;
    }
    const leaves: { path: string[]; before: unknown; after: unknown }[] = [];
    leafChanges(old.inputs, r.inputs, [], leaves);
    for (const l of leaves) {
      if (ignored(l.path, r.ignoreChanges ?? [])) continue;
      changes.push({ urn: r.urn, kind: 'update', path: l.path.join('.'), before: l.before, after: l.after });
    }
  }
  for (const r of previous) if (!after.has(r.urn)) changes.push({ urn: r.urn, kind: 'delete', path: '-' });
  return changes;
}
