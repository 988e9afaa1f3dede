import { K8sObject } from './k8s-object';

/** The set of objects under evaluation, indexed once so that cross-object rules stay linear. */
export class ObjectIndex {
  private readonly byKind = new Map<string, K8sObject[]>();

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

  /** Objects of a kind in a namespace (objects without a namespace count as `default`). */
  inNamespace(kind: string, namespace: string): readonly K8sObject[] {
    return this.ofKind(kind).filter((o) => (o.metadata?.namespace ?? 'default') === namespace);
  }
}
