import { K8sObject } from './k8s-object';

/** The set of objects under evaluation, indexed once so that cross-object rules stay linear. */
export class ObjectIndex {
  private readonly byKind = new Map<string, K8sObject[]>();
  private readonly byKindAndNamespace = new Map<string, Map<string, K8sObject[]>>();

  constructor(public readonly objects: readonly K8sObject[]) {
    for (const o of objects) {
      const list = this.byKind.get(o.kind);
      if (list) list.push(o);
      else this.byKind.set(o.kind, [o]);
    }
  }

  ofKind(kind: string): readonly K8sObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Objects of a kind in a namespace (objects without a namespace count as `default`), in input order. */
  inNamespace(kind: string, namespace: string): readonly K8sObject[] {
    let byNamespace = this.byKindAndNamespace.get(kind);
    if (!byNamespace) {
      // Grouped once per kind, so a rule asking for every pod stays linear in the input.
      byNamespace = new Map();
      for (const o of this.ofKind(kind)) {
        const ns = o.metadata?.namespace ?? 'default';
        const list = byNamespace.get(ns);
        if (list) list.push(o);
        else byNamespace.set(ns, [o]);
      }
      this.byKindAndNamespace.set(kind, byNamespace);
    }
    return byNamespace.get(namespace) ?? [];
  }
}
