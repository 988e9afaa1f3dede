import * as fs from 'fs';
import * as path from 'path';

const CLUSTER = path.join(__dirname, '..', '..', 'lib', 'cluster');

/** Every .ts file under lib/cluster except the index.ts barrels (which only re-export). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && e.name !== 'index.ts' ? [p] : [];
  });
}

/** The layer of a file: its folder under lib/cluster, or the file itself for files at the top. */
function layerOf(file: string): string {
  const rel = path.relative(CLUSTER, file).split(path.sep);
  return rel.length === 1 ? rel[0].replace(/\.ts$/, '') : rel[0];
}

/** Relative imports (static, `import type`, `require` and `import()`) of a file, resolved inside lib/cluster. */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|require\(|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specs
    .map((s) => path.resolve(path.dirname(file), s))
    .filter((p) => p.startsWith(CLUSTER + path.sep))
    .map((p) => (fs.existsSync(`${p}.ts`) ? `${p}.ts` : path.join(p, 'index.ts')));
}

function layerGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const f of sources(CLUSTER)) {
    const from = layerOf(f);
    const edges = graph.get(from) ?? new Set<string>();
    for (const target of imports(f)) {
      const to = layerOf(target);
      if (to !== from) edges.add(to);
    }
    graph.set(from, edges);
  }
  return graph;
}

function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const visit = (node: string, trail: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = trail.indexOf(next);
      if (at >= 0) found.push([...trail.slice(at), next]);
      else visit(next, [...trail, next]);
    }
  };
  for (const start of graph.keys()) visit(start, [start]);
  return found;
}

describe('lib/cluster layers', () => {
  const graph = layerGraph();

  it('has no import cycle between its folders (and top-level files)', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the cloud contracts free of every other module', () => {
    expect([...(graph.get('contracts') ?? [])]).toEqual([]);
    const text = fs.readFileSync(path.join(CLUSTER, 'contracts', 'cloud-contracts.ts'), 'utf8');
    expect([...text.matchAll(/^import (?!type ).*$/gm)]).toEqual([]);
  });

  it('lets no cloud folder import another cloud, the program or the plan', () => {
    for (const cloud of ['eks', 'gke', 'aks']) {
      const uses = [...(graph.get(cloud) ?? [])];
      expect(uses.filter((u) => ['eks', 'gke', 'aks', 'program', 'plan'].includes(u))).toEqual([]);
    }
  });

  it('would see a cycle if one were added (the check is not vacuous)', () => {
    const withCycle = new Map(graph);
    withCycle.set('contracts', new Set(['program']));
    expect(cycles(withCycle).length).toBeGreaterThan(0);
  });
});
