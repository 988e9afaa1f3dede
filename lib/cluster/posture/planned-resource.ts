/**
 * A resource as the Pulumi engine would receive it: the inputs registered for it (after every Output resolved) and
 * the outputs the provider returned (under mocks: the echoed inputs plus plausible ids, ARNs and endpoints).
 */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Provider-assigned id (custom resources only). */
  readonly id?: string;
  /** URN of the parent resource; undefined only for the stack itself. */
  readonly parent?: string;
  /** True for provider-backed resources, false for components. */
  readonly custom: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly state: Readonly<Record<string, unknown>>;
  /** Provider reference (`<provider urn>::<id>`) when the resource was given an explicit provider. */
  readonly provider?: string;
  /** Input paths the engine leaves alone after creation (`ignoreChanges`): owned by an autoscaler or the cloud. */
  readonly ignoreChanges?: readonly string[];
}

/** `aws:eks/cluster:Cluster payments-prod-cluster` */
export function resourceLabel(r: Pick<PlannedResource, 'type' | 'name'>): string {
  return `${r.type} ${r.name}`;
}

/** Splits `a.b[0]["x.y/z"]` into `a`, `b`, `0`, `x.y/z`. */
export function pathSteps(path: string): string[] {
  const steps: string[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g;
  for (let m = re.exec(path); m !== null; m = re.exec(path)) steps.push(m[1] ?? m[2] ?? m[3]);
  return steps;
}

/** Reads `a.b[0].c` (or `labels["app.kubernetes.io/name"]`) from nested objects; undefined when a step is missing. */
export function getPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const step of pathSteps(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[step];
  }
  return cur;
}

/** Read access to everything one program run registered. */
export class PlanView {
  private readonly byUrn: ReadonlyMap<string, PlannedResource>;

  constructor(public readonly resources: readonly PlannedResource[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
  }

  ofType(type: string): readonly PlannedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  get(urn: string): PlannedResource | undefined {
    return this.byUrn.get(urn);
  }

  /**
   * The resource of `type` whose output `field` (or its `id`) equals `value`: how an ARN or id in one input leads to
   * the resource that owns it.
   */
  findByOutput(type: string, field: string, value: unknown): PlannedResource | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    return this.resources.find(
      (r) => r.type === type && (field === 'id' ? r.id === value : getPath(r.state, field) === value),
    );
  }

  /** The provider resource a `provider` reference (`<urn>::<id>`) points to. */
  providerOf(r: PlannedResource): PlannedResource | undefined {
    if (!r.provider) return undefined;
    return this.byUrn.get(r.provider.slice(0, r.provider.lastIndexOf('::')));
  }

  /** The resource and its ancestors' names, for messages. */
  ancestors(r: PlannedResource): readonly PlannedResource[] {
    const out: PlannedResource[] = [];
    let cur = r.parent ? this.byUrn.get(r.parent) : undefined;
    while (cur) {
      out.push(cur);
      cur = cur.parent ? this.byUrn.get(cur.parent) : undefined;
    }
    return out;
  }
}
