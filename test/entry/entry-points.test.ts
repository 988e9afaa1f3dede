import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { MissingPeerError, requirePeers } from '../../lib/entry/optional-peers';

// The package's entry points (package.json exports), loaded in fresh Node processes: a module cache that has seen
// nothing else, as in a user's program.
const ROOT = path.join(__dirname, '..', '..');

function node(code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--require', 'tsx/cjs', '-e', code],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The packages in the module cache after requiring `entry` (a path under lib/), and the names it exports. */
async function load(entry: string): Promise<{ packages: string[]; exports: string[] }> {
  const out = await node(`
    const m = require(${JSON.stringify(path.join(ROOT, 'lib', entry))});
    const packages = new Set();
    for (const f of Object.keys(require.cache)) {
      const p = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f);
      if (p) packages.add(p[1].replace(/\\\\/g, '/'));
    }
    process.stdout.write(JSON.stringify({ packages: [...packages].sort(), exports: Object.keys(m).sort() }));
  `);
  if (out.code !== 0) throw new Error(`child failed (${out.code}): ${out.stderr}`);
  return JSON.parse(out.stdout);
}

/**
 * `names` and what they depend on, as installed at the top of node_modules: npm hoists a dependency's own dependencies
 * there or nests them under it, depending on the rest of the tree (minimatch's brace-expansion is either).
 */
function withDependencies(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const todo = [...names];
  while (todo.length > 0) {
    const name = todo.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const manifest = path.join(ROOT, 'node_modules', name, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const deps = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> })
      .dependencies;
    todo.push(...Object.keys(deps ?? {}));
  }
  return [...seen];
}

describe('package entry points', () => {
  it("the main entry loads no @pulumi module: only cdk8s, constructs and bulwark's own dependencies", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const optional = Object.keys(pkg.peerDependenciesMeta ?? {});
    const installedWithBulwark = withDependencies([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}).filter((p) => !optional.includes(p)),
    ]);
    const main = await load('index.ts');
    expect(main.packages.filter((p) => p.startsWith('@pulumi/'))).toEqual([]);
    const loaded = main.packages.filter((p) => p !== 'tsx' && !p.startsWith('esbuild') && !p.startsWith('@esbuild'));
    expect(loaded).toEqual(expect.arrayContaining(['cdk8s', 'constructs']));
    expect(loaded.filter((p) => !installedWithBulwark.includes(p))).toEqual([]);
    expect(main.exports).toEqual(expect.arrayContaining(['HardenedDeployment', 'DefaultDenyNamespace', 'policy']));
    expect(main.exports).not.toContain('HardenedEksCluster');
  });

  it.each([
    ['eks', 'HardenedEksCluster', '@pulumi/aws'],
    ['gke', 'HardenedGkeCluster', '@pulumi/gcp'],
    ['aks', 'HardenedAksCluster', '@pulumi/azure-native'],
  ])('bulwark/%s exports %s and loads %s, no other cloud SDK', async (entry, component, sdk) => {
    const loaded = await load(`entry/${entry}.ts`);
    expect(loaded.exports).toContain(component);
    const clouds = loaded.packages.filter((p) => ['@pulumi/aws', '@pulumi/gcp', '@pulumi/azure-native'].includes(p));
    expect(clouds).toEqual([sdk]);
  });

  it('bulwark/cluster exports the cloud-neutral pieces and loads no cloud SDK', async () => {
    const loaded = await load('entry/cluster.ts');
    expect(loaded.exports).toEqual(expect.arrayContaining(['ClusterBaseline', 'planStack']));
    expect(loaded.packages.filter((p) => ['@pulumi/aws', '@pulumi/gcp', '@pulumi/azure-native'].includes(p))).toEqual(
      [],
    );
  });
});

describe('optional peer dependencies', () => {
  const installed = (names: string[]) => (n: string) => names.includes(n);

  it('names every package the entry needs and which are missing, with the install command', () => {
    let error: unknown;
    try {
      requirePeers(
        'bulwark/eks',
        ['@pulumi/pulumi', '@pulumi/aws', '@pulumi/kubernetes'],
        installed(['@pulumi/pulumi']),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingPeerError);
    expect((error as Error).message).toBe(
      'bulwark/eks needs the Pulumi SDKs @pulumi/pulumi, @pulumi/aws, @pulumi/kubernetes (optional peer dependencies ' +
        'of bulwark, not installed with it); missing: @pulumi/aws, @pulumi/kubernetes. ' +
        'Fix: npm install @pulumi/pulumi @pulumi/aws @pulumi/kubernetes',
    );
    expect((error as MissingPeerError).missing).toEqual(['@pulumi/aws', '@pulumi/kubernetes']);
  });

  it('passes when all are installed, and resolves real packages by default', () => {
    expect(() => requirePeers('bulwark/gke', ['@pulumi/gcp'], installed(['@pulumi/gcp']))).not.toThrow();
    expect(() => requirePeers('bulwark/gke', ['@pulumi/gcp'])).not.toThrow();
    expect(() => requirePeers('bulwark/x', ['@pulumi/not-a-package-bulwark-uses'])).toThrow(
      'missing: @pulumi/not-a-package-bulwark-uses. Fix: npm install @pulumi/not-a-package-bulwark-uses',
    );
  });
});
