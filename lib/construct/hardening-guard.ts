import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { jsonEqual } from '../util/json-equal';

/** One field of a guarded object, as the construct wrote it: a path into the rendered object and its value. */
export interface GuardedField {
  /** Keys from the object's root, e.g. ['spec', 'podSelector'] or ['metadata', 'labels', 'pod-security.kubernetes.io/enforce']. */
  readonly path: readonly string[];
  /** What the construct wrote there (computed at validation, after every allowFrom/allowTo). */
  readonly value: unknown;
}

interface Guarded {
  readonly object: ApiObject;
  /** What is lost without it, e.g. "without it the workload's pods accept traffic from anywhere". */
  readonly consequence: string;
  /** What to do instead of removing or patching it. */
  readonly fix: string;
  readonly fields: () => readonly GuardedField[];
}

/** True while `child` is still reachable from `owner` (node.tryRemoveChild detaches a node from its parent). */
function attached(child: IConstruct, owner: IConstruct): boolean {
  let c: IConstruct = child;
  while (c !== owner) {
    const parent = c.node.scope;
    if (!parent || parent.node.tryFindChild(c.node.id) !== c) return false;
    c = parent;
  }
  return true;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * What makes a guarded object the object it is: its API version, kind, name and namespace as the construct wrote them.
 * A patch changing one hardens nothing where it was meant to (a default-deny policy moved to another namespace, the
 * `default` ServiceAccount renamed, a NetworkPolicy made a ConfigMap) while the guarded spec still renders. A
 * construct that writes one differently (a cluster-scoped Namespace has no namespace) declares that path itself.
 */
function identityOf(o: ApiObject, declared: readonly GuardedField[]): GuardedField[] {
  const identity: GuardedField[] = [
    { path: ['apiVersion'], value: o.apiVersion },
    { path: ['kind'], value: o.kind },
    { path: ['metadata', 'name'], value: o.name },
    { path: ['metadata', 'namespace'], value: o.metadata.namespace },
  ];
  return identity.filter((f) => !declared.some((d) => d.path.join('.') === f.path.join('.')));
}

function describe(o: ApiObject): string {
  const ns = o.metadata.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.name}`;
}

/** The guards of each app (by root construct). */
const GUARDS = new WeakMap<IConstruct, HardeningGuard[]>();

/** The guards of the constructs of the app under `root` (also ones removed from it since). */
export function guardsOf(root: IConstruct): readonly HardeningGuard[] {
  return GUARDS.get(root) ?? [];
}

/**
 * The objects a bulwark construct writes to harden something else (a workload's NetworkPolicies, a namespace's
 * default-deny policy, quota and limits): removing one from the tree (`node.tryRemoveChild`) or patching one of its
 * hardening fields (`addJsonPatch`) fails synthesis with an error naming the object, instead of passing with at
 * most a warning from the catalog. Checked by the synth-time validation on the rendering it audits (one rendering
 * per synthesis, see synth-validation.ts), so App.synth, synthYaml, Testing.synth and `bulwark synth` all check it.
 */
export class HardeningGuard {
  private readonly guarded: Guarded[] = [];

  constructor(public readonly owner: IConstruct) {
    const root = owner.node.root;
    const list = GUARDS.get(root);
    if (list) list.push(this);
    else GUARDS.set(root, [this]);
  }

  /** Guards `object`: it must stay in the tree, render `fields` exactly and keep its identity (identityOf). */
  public add(object: ApiObject, consequence: string, fix: string, fields: () => readonly GuardedField[]): void {
    this.guarded.push({ object, consequence, fix, fields });
  }

  /**
   * The errors of this guard against one rendering of the app under `root` (every ApiObject still in it, rendered);
   * none when the owner itself is no longer in the app.
   */
  public errors(root: IConstruct, rendered: ReadonlyMap<ApiObject, unknown>): string[] {
    if (!attached(this.owner, root)) return [];
    const errors: string[] = [];
    const owner = () => `${this.owner.constructor.name} '${this.owner.node.path}'`;
    for (const g of this.guarded) {
      const at = () => `${g.object.node.path}: ${describe(g.object)} of ${owner()}`;
      // Rendered means found below `root`, and the owner is attached to it: so the object is still below the owner
      // (a construct never changes its scope; removing any construct on the way would have hidden the object).
      const object = rendered.get(g.object);
      if (object === undefined) {
        errors.push(
          `${at()} was removed from the tree (node.tryRemoveChild); ${g.consequence}. Fix: keep it; ${g.fix}`,
        );
        continue;
      }
      const fields = g.fields();
      const changed = [...identityOf(g.object, fields), ...fields]
        .filter((f) => !jsonEqual(valueAt(object, f.path), f.value))
        .map((f) => f.path.join('.'));
      if (changed.length > 0) {
        errors.push(
          `${at()} was changed after it was built (${changed.join(', ')}); it must render as the construct wrote it: ${g.consequence}. Fix: remove the JSON patch; ${g.fix}`,
        );
      }
    }
    return errors;
  }
}
