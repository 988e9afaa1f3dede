import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Two real copies of cdk8s (and of constructs) on disk, as a linked checkout with its own node_modules makes them:
// an app built from one copy, bulwark's constructs from the repository's. Run in fresh Node processes so that each
// copy is loaded by Node's own resolver, as in a user's project.
const ROOT = path.join(__dirname, '..', '..');
const IMAGE = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-dup-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A project folder whose node_modules holds copies of `copied` and links to the repository's `linked`. */
function project(name: string, copied: string[], linked: string[]): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  for (const p of copied)
    fs.cpSync(path.join(ROOT, 'node_modules', p), path.join(dir, 'node_modules', p), { recursive: true });
  for (const p of linked) fs.symlinkSync(path.join(ROOT, 'node_modules', p), path.join(dir, 'node_modules', p), 'dir');
  return dir;
}

function appIn(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = `
    const { App, Chart } = require(${JSON.stringify(path.join(dir, 'node_modules', 'cdk8s'))});
    const { HardenedDeployment } = require(${JSON.stringify(path.join(ROOT, 'lib', 'index.ts'))});
    const app = new App({ outdir: ${JSON.stringify(path.join(dir, 'out'))} });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new HardenedDeployment(chart, 'api', { image: ${JSON.stringify(IMAGE)}, port: 8080 });
    app.synth();
    process.stdout.write('synthesized');
  `;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--require', 'tsx/cjs', '-e', code],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function expectedMessage(pkg: string, appCopy: string): string {
  return (
    `two copies of ${pkg} are loaded: the app's chart 'shop' comes from ${appCopy}, bulwark's constructs from ` +
    `${path.join(ROOT, 'node_modules', pkg)}. cdk8s cannot synthesize objects of one copy in an app of the other. ` +
    `Fix: keep one copy in the tree (${pkg} is a peer dependency of bulwark): run \`npm ls ${pkg}\` to see both, ` +
    '`npm dedupe` to merge them, and install bulwark from the registry or a packed tarball rather than a linked ' +
    'folder that has its own node_modules.'
  );
}

describe('one cdk8s in the tree', () => {
  it('names both copies of cdk8s and the fix, instead of cdk8s failing on a Lazy at synth', async () => {
    const dir = project('two-cdk8s', ['cdk8s'], ['constructs']);
    const out = await appIn(dir);
    expect(out.code).not.toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(
      `DuplicateCdk8sError: ${expectedMessage('cdk8s', path.join(dir, 'node_modules', 'cdk8s'))}`,
    );
    expect(out.stderr).not.toContain('Lazy');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('names both copies of constructs when the app has its own constructs too', async () => {
    const dir = project('two-constructs', ['cdk8s', 'constructs'], []);
    const out = await appIn(dir);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      `DuplicateCdk8sError: ${expectedMessage('constructs', path.join(dir, 'node_modules', 'constructs'))}`,
    );
  });

  it('stays silent with one copy linked into the project (a symlink resolves to the same files)', async () => {
    const dir = project('one-copy', [], ['cdk8s', 'constructs']);
    const out = await appIn(dir);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('synthesized');
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['shop.k8s.yaml']);
  });
});
