import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';

export const REPO = path.join(__dirname, '..', '..');
export const BIN = path.join(REPO, 'bin', 'bulwark.js');
export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/**
 * A fresh project in a temporary folder, as a user has one: package.json, a git repository with a committed file,
 * `stacks/main.ts` (the app, `body` is the inside of its build(app) function, with App, Chart, ApiObject and bulwark's
 * exports in scope) and node_modules linked to this repository's (one copy of cdk8s, as in a real install).
 */
export function tempProject(body: string, name = 'bulwark-proj-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "shop", "private": true }\n');
  fs.writeFileSync(path.join(dir, 'README.md'), '# shop\n');
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'stacks'));
  writeApp(dir, body);
  spawnSync('git', ['init', '-q', dir]);
  spawnSync('git', ['-C', dir, '-c', 'user.email=a@b', '-c', 'user.name=a', 'add', 'README.md', 'package.json']);
  spawnSync('git', ['-C', dir, '-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-qm', 'init']);
  return dir;
}

export function writeApp(dir: string, body: string): void {
  fs.writeFileSync(
    path.join(dir, 'stacks', 'main.ts'),
    `import { ApiObject, App, Chart } from 'cdk8s';\n` +
      `import * as bulwark from ${JSON.stringify(path.join(REPO, 'lib'))};\n` +
      `const { HardenedDeployment } = bulwark;\n` +
      `export function build(app: App): void {\n${body}\n}\n` +
      `void ApiObject; void Chart;\n`,
  );
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI (`node bin/bulwark.js …`) in `cwd`. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every path under `dir` (not following links) with its content, link text or `<dir>`: to prove nothing changed. */
export function snapshot(dir: string, skip: readonly string[] = ['node_modules']): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (skip.includes(r)) continue;
      const full = path.join(dir, r);
      if (e.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(full)}`;
      else if (e.isDirectory()) {
        out[r] = '<dir>';
        walk(r);
      } else out[r] = fs.readFileSync(full, 'latin1');
    }
  };
  walk('');
  return out;
}
