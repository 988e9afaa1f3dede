import { execFileSync } from 'child_process';
import * as path from 'path';
import { folderEdges, layersFromConfig, renderArchitecture } from '../../scripts/gen-architecture';

const ROOT = path.join(__dirname, '..', '..');

describe('docs/architecture.md generator', () => {
  it("reads the layers from the import-direction lint's own configuration, bottom up, the top layer included", () => {
    const layers = layersFromConfig(require(path.join(ROOT, '.dependency-cruiser.cjs')));
    expect(layers[0]).toEqual(['util']);
    expect(layers[1]).toEqual(['k8s']);
    expect(layers[layers.length - 1]).toEqual(['cli', 'entry']);
    expect(layers.flat()).toContain('cluster');
    expect(new Set(layers.flat()).size).toBe(layers.flat().length);
  });

  it('refuses a configuration without layer rules instead of drawing an empty picture', () => {
    expect(() => layersFromConfig({ forbidden: [] })).toThrow(
      'gen-architecture: .dependency-cruiser.cjs has no layer-* rules',
    );
  });

  it('keeps only edges between two different top-level folders of lib/, once each, sorted', () => {
    const edges = folderEdges([
      {
        source: 'lib/workloads',
        dependencies: [{ resolved: 'lib/policy' }, { resolved: 'lib/k8s' }, { resolved: 'lib/policy' }],
      },
      { source: 'lib/policy', dependencies: [{ resolved: 'lib/policy' }, { resolved: 'lib/k8s' }] },
      { source: 'lib/index.ts', dependencies: [{ resolved: 'lib/workloads' }] },
      { source: 'node_modules/yaml', dependencies: [{ resolved: 'lib/k8s' }] },
    ]);
    expect(edges).toEqual([
      ['policy', 'k8s'],
      ['workloads', 'k8s'],
      ['workloads', 'policy'],
    ]);
  });

  it('prefixes Mermaid node ids, so a folder named like a keyword (graph, end) does not break the diagram', () => {
    const text = renderArchitecture([['k8s'], ['graph']], [['graph', 'k8s']]);
    expect(text).toContain('    lib_graph["lib/graph"]\n');
    expect(text).toContain('  lib_graph --> lib_k8s\n');
    expect(text).not.toMatch(/^\s+graph\b/m);
  });

  it('the committed docs/architecture.md matches the code (the drift check CI runs)', () => {
    expect(() =>
      execFileSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/gen-architecture.ts', '--check'], {
        cwd: ROOT,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });
});
