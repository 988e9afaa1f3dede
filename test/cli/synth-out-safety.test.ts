import * as fs from 'fs';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';
import { BIN, DIGEST, runCli, snapshot, tempProject } from '../helpers/temp-project';

const APP = `const chart = new Chart(app, 'shop', { namespace: 'shop' });
new HardenedDeployment(chart, 'api', { image: 'ghcr.io/acme/api@${DIGEST}', port: 8080 });`;

jest.setTimeout(120_000);

describe('bulwark synth --out refuses what it must not replace (real CLI, fresh project)', () => {
  const project = tempProject(APP);
  fs.mkdirSync(path.join(project, 'docs'));
  fs.writeFileSync(path.join(project, 'docs', 'notes.md'), 'uncommitted work\n');
  fs.mkdirSync(path.join(project, 'vendor'));
  spawnSync('git', ['init', '-q', path.join(project, 'vendor', 'lib')]);
  fs.mkdirSync(path.join(project, 'old'));
  fs.writeFileSync(path.join(project, 'old', '.bulwark-output'), 'forged\n');
  spawnSync('git', ['init', '-q', path.join(project, 'old', 'nested')]);
  fs.symlinkSync('docs', path.join(project, 'linked'));
  fs.mkdirSync(path.join(project, 'mine-report'));
  fs.writeFileSync(path.join(project, 'mine-report', 'todo.txt'), 'mine\n');
  fs.writeFileSync(path.join(project, 'filed-report'), 'a file\n');
  const sub = path.join(project, 'stacks');

  const p = (s: string) => s.replace('<P>', project);
  const cases: [string, string, string][] = [
    ['.', sub, 'it is the current folder; nothing was changed. Fix: give a folder of its own, such as dist'],
    [
      '.',
      project,
      'it is the project root; nothing was changed. Fix: give a folder of its own inside the project, such as dist',
    ],
    [
      '',
      project,
      'the path is empty (it would mean the current folder); nothing was changed. Fix: give a folder such as dist',
    ],
    [
      '  ',
      project,
      'the path is empty (it would mean the current folder); nothing was changed. Fix: give a folder such as dist',
    ],
    [
      '..',
      project,
      `it holds the project root (<P>); nothing was changed. Fix: give a folder of its own inside the project, such as dist`,
    ],
    [
      '/',
      project,
      `it holds the project root (<P>); nothing was changed. Fix: give a folder of its own inside the project, such as dist`,
    ],
    [
      project,
      project,
      'it is the project root; nothing was changed. Fix: give a folder of its own inside the project, such as dist',
    ],
    [
      '..',
      sub,
      'it is the project root; nothing was changed. Fix: give a folder of its own inside the project, such as dist',
    ],
    [
      'stacks',
      project,
      'it holds the app module <P>/stacks/main.ts; nothing was changed. Fix: give a folder of its own, such as dist',
    ],
    ['README.md', project, 'it is a file, not a folder; nothing was changed. Fix: choose a folder for --out'],
    [
      '.git',
      project,
      'it is a folder that is not empty and is not a previous bulwark output (it has no .bulwark-output file; it holds',
    ],
    [
      'docs',
      project,
      'it is a folder that is not empty and is not a previous bulwark output (it has no .bulwark-output file; it holds 1 entry, e.g. notes.md); nothing was changed. Fix: empty or remove the folder yourself, or choose another --out',
    ],
    ['vendor/lib', project, 'it holds <P>/vendor/lib/.git; nothing was changed. Fix: choose another --out'],
    ['old', project, 'it holds <P>/old/nested/.git; nothing was changed. Fix: choose another --out'],
    [
      'linked',
      project,
      'it is a symbolic link to docs, not a previous bulwark output; nothing was changed. Fix: remove the link yourself or choose another --out',
    ],
    [
      'mine',
      project,
      'the report path mine-report is a folder holding files bulwark did not write (todo.txt); nothing was changed. Fix: remove mine-report yourself or choose another --out',
    ],
    [
      'filed',
      project,
      'the report path filed-report is a file; nothing was changed. Fix: remove filed-report yourself or choose another --out',
    ],
  ];

  it.each(cases)("--out '%s' (in %s) is refused, says why and changes nothing", async (out, cwd, why) => {
    const before = snapshot(project);
    const run = await runCli(['synth', '--app', path.join(project, 'stacks', 'main.ts'), '--out', out], cwd);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.slice(0, `bulwark synth: refusing --out '${out}': ${p(why)}`.length)).toBe(
      `bulwark synth: refusing --out '${out}': ${p(why)}`,
    );
    expect(snapshot(project)).toEqual(before);
  });
});

describe('bulwark synth replaces its own output atomically (real CLI, fresh project)', () => {
  const project = tempProject(APP);

  it('writes dist as a link to a complete output with its marker and report, and replaces it on the next run', async () => {
    const first = await runCli(['synth'], project);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('bulwark synth: wrote 1 manifest files to dist/ (shop.k8s.yaml)\n');
    const dist = path.join(project, 'dist');
    expect(fs.lstatSync(dist).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(dist)).toMatch(/^\.dist\.bulwark\/g-[0-9a-z]+-\d+-[0-9a-f]+$/);
    expect(fs.readdirSync(dist).sort()).toEqual([
      '.bulwark-grant-requests',
      '.bulwark-output',
      '.bulwark-report',
      'shop.k8s.yaml',
    ]);
    expect(fs.readlinkSync(path.join(project, 'dist-report'))).toBe('dist/.bulwark-report');
    expect(fs.readdirSync(path.join(project, 'dist-report')).sort()).toEqual([
      'network.mmd',
      'network.svg',
      'report.html',
      'report.md',
    ]);
    const gen1 = fs.readlinkSync(dist);
    const second = await runCli(['synth'], project);
    expect(second.code).toBe(0);
    expect(fs.readlinkSync(dist)).not.toBe(gen1);
    // The previous generation is gone; git sees nothing of the store.
    expect(fs.readdirSync(path.join(project, '.dist.bulwark')).sort()).toEqual([
      '.gitignore',
      path.basename(fs.readlinkSync(dist)),
    ]);
    expect(spawnSync('git', ['-C', project, 'status', '--porcelain']).stdout.toString()).not.toContain('.dist.bulwark');
  });

  it('accepts an empty folder and a folder that an earlier bulwark marked as its output', async () => {
    fs.mkdirSync(path.join(project, 'empty'));
    expect((await runCli(['synth', '--out', 'empty', '--no-audit'], project)).code).toBe(0);
    expect(fs.lstatSync(path.join(project, 'empty')).isSymbolicLink()).toBe(true);
    fs.mkdirSync(path.join(project, 'legacy'));
    fs.writeFileSync(path.join(project, 'legacy', '.bulwark-output'), 'x');
    fs.writeFileSync(path.join(project, 'legacy', 'old.k8s.yaml'), 'x');
    fs.mkdirSync(path.join(project, 'legacy-report'));
    fs.writeFileSync(path.join(project, 'legacy-report', 'report.md'), 'x');
    const run = await runCli(['synth', '--out', 'legacy'], project);
    expect(run.code).toBe(0);
    expect(fs.readdirSync(path.join(project, 'legacy')).sort()).toEqual([
      '.bulwark-grant-requests',
      '.bulwark-output',
      '.bulwark-report',
      'shop.k8s.yaml',
    ]);
    expect(fs.readdirSync(path.join(project, '.legacy.bulwark')).length).toBe(2);
  });

  it('runs writing the same output take turns: the second waits for the first, both complete', async () => {
    const [a, b] = await Promise.all([runCli(['synth'], project), runCli(['synth'], project)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // Under load they may not overlap; when they do, one says it waits.
    expect(a.stderr + b.stderr).toMatch(
      /^(bulwark synth: waiting for another bulwark synth \(pid \d+, since \d{4}-\d\d-\d\dT[\d:.]+Z\) writing dist\n)?$/,
    );
    expect(fs.readdirSync(path.join(project, 'dist')).sort()).toEqual([
      '.bulwark-grant-requests',
      '.bulwark-output',
      '.bulwark-report',
      'shop.k8s.yaml',
    ]);
  });

  it('waits while another live run holds the lock, then writes', async () => {
    const lock = path.join(project, '.dist.bulwark', 'lock');
    fs.writeFileSync(lock, `${process.pid} ${require('os').hostname()} 2026-01-01T00:00:00.000Z\n`);
    // Released as soon as the run says it waits.
    const child = spawn(process.execPath, [BIN, 'synth', '--no-audit'], { cwd: project });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes('waiting')) fs.rmSync(lock, { force: true });
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    const run = { code, stderr };
    expect(run.stderr).toBe(
      `bulwark synth: waiting for another bulwark synth (pid ${process.pid}, since 2026-01-01T00:00:00.000Z) writing dist\n`,
    );
    expect(run.code).toBe(0);
  });

  it('refuses, changing nothing, when another live run holds the lock past --wait', async () => {
    const lock = path.join(project, '.dist.bulwark', 'lock');
    fs.writeFileSync(lock, `${process.pid} ${require('os').hostname()} 2026-01-01T00:00:00.000Z\n`);
    const before = snapshot(project);
    try {
      const run = await runCli(['synth', '--wait', '0'], project);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `bulwark synth: another bulwark synth (pid ${process.pid}, since 2026-01-01T00:00:00.000Z) is writing --out 'dist' ` +
          `and did not finish within 0 s; nothing was changed. Fix: wait for it to end, or, if no such process runs, ` +
          `remove ${lock}\n`,
      );
      expect(snapshot(project)).toEqual(before);
    } finally {
      fs.rmSync(lock);
    }
  });

  it('takes over the lock of a killed run and removes what it left behind', async () => {
    const store = path.join(project, '.dist.bulwark');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(store, 'lock'), `${dead} ${require('os').hostname()} 2026-01-01T00:00:00.000Z\n`);
    fs.mkdirSync(path.join(store, `g-zz-${dead}-abc`));
    fs.writeFileSync(path.join(store, `g-zz-${dead}-abc`, 'half.k8s.yaml'), 'kind: Po');
    fs.symlinkSync('.dist.bulwark/g-zz', path.join(store, `link.${dead}.0a`));
    const run = await runCli(['synth', '--no-audit'], project);
    expect(run.code).toBe(0);
    expect(fs.readdirSync(store).sort()).toEqual([
      '.gitignore',
      path.basename(fs.readlinkSync(path.join(project, 'dist'))),
    ]);
  });

  it('on a refused synthesis leaves the previous output and its report as they were', async () => {
    const before = snapshot(project);
    fs.writeFileSync(
      path.join(project, 'stacks', 'bad.ts'),
      fs
        .readFileSync(path.join(project, 'stacks', 'main.ts'), 'utf8')
        .replace(`'ghcr.io/acme/api@${DIGEST}'`, "'nginx:latest'"),
    );
    const run = await runCli(['synth', '--app', 'stacks/bad.ts'], project);
    expect(run.code).toBe(1);
    fs.rmSync(path.join(project, 'stacks', 'bad.ts'));
    expect(snapshot(project)).toEqual(before);
  });
});
