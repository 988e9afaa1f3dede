import { LabelSelector, matchesLabels } from '../k8s/label-selector';

/** What the index needs of a workload: where it runs and the labels of its pods. */
export interface Labelled {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

interface NamespaceEntry<W> {
  readonly all: W[];
  /** Workloads under each `key=value` label they carry. */
  readonly byLabel: Map<string, W[]>;
  /** Workloads under each label key they carry. */
  readonly byKey: Map<string, W[]>;
}

const labelKey = (key: string, value: string) => `${key}\u0000${value}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Workloads by namespace and label, so that the pods a selector picks are found from the smallest list of
 * candidates a requirement allows (a `matchLabels` pair, an `In` or `Exists` expression) rather than by scanning the
 * namespace: selecting stays proportional to the candidates, which keeps reachability near-linear in the input.
 */
export class WorkloadIndex<W extends Labelled> {
  private readonly byNamespace = new Map<string, NamespaceEntry<W>>();
  private readonly position = new Map<W, number>();

  constructor(workloads: readonly W[]) {
    for (const w of workloads) {
      this.position.set(w, this.position.size);
      let entry = this.byNamespace.get(w.namespace);
      if (!entry) this.byNamespace.set(w.namespace, (entry = { all: [], byLabel: new Map(), byKey: new Map() }));
      entry.all.push(w);
      for (const [k, v] of Object.entries(w.labels)) {
        push(entry.byLabel, labelKey(k, v), w);
        push(entry.byKey, k, w);
      }
    }
  }

  /** Workloads of `namespace` whose labels the selector matches, in the order they were given. */
  select(namespace: string, selector: LabelSelector): readonly W[] {
    const entry = this.byNamespace.get(namespace);
    if (!entry) return [];
    const candidates = this.candidates(entry, selector);
    return candidates.filter((w) => matchesLabels(selector, w.labels));
  }

  private candidates(entry: NamespaceEntry<W>, selector: LabelSelector): readonly W[] {
    let best: readonly W[] = entry.all;
    const consider = (list: readonly W[]) => {
      if (list.length < best.length) best = list;
    };
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) consider(entry.byLabel.get(labelKey(k, v)) ?? []);
    for (const e of selector.matchExpressions ?? []) {
      if (e.operator === 'Exists') consider(entry.byKey.get(e.key) ?? []);
      else if (e.operator === 'In') {
        const seen = new Set<W>();
        for (const v of e.values ?? []) for (const w of entry.byLabel.get(labelKey(e.key, v)) ?? []) seen.add(w);
        // Back in input order, so results do not depend on the order of the expression's values.
        if (seen.size < best.length) best = [...seen].sort((a, b) => this.rank(a) - this.rank(b));
      }
    }
    return best;
  }

  private rank(w: W): number {
    return this.position.get(w) ?? 0;
  }
}
