import * as fs from 'fs';
import * as path from 'path';
import { ChildProcess, spawn } from 'child_process';
import { DIGEST, runCli, tempProject } from '../helpers/temp-project';

/**
 * Kill-at-random: a real `bulwark synth` is killed (SIGKILL) at a random moment of its run, again and again, on an
 * app that alternates between two versions. After every kill the output is the complete old or the complete new
 * output with the report and the grant requests of exactly those manifests, and the next run removes what the killed
 * one left.
 */
const KILLS = 50;
const POOL = 2;
const APP = `const v = process.env.BULWARK_TEST_VERSION ?? 'a';
const chart = new Chart(app, 'shop', { namespace: 'shop' });
new HardenedDeployment(chart, 'api-' + v, { image: 'ghcr.io/acme/api@${DIGEST}', port: 8080, exemptions: [{ rule: 'workload-probes', reason: 'version ' + v }] });
new HardenedDeployment(new Chart(app, 'pay', { namespace: 'pay' }), 'pay-' + v, { image: 'ghcr.io/acme/pay@${DIGEST}', port: 8080 });`;
const CHILD = path.join(__dirname, '..', 'helpers', 'synth-kill-child.js');

jest.setTimeout(600_000);

type Output = Record<string, string>;

/** The output as a reader sees it: dist's files (marker included), dist-report's and the grant requests. */
function readOutput(project: string): Output | undefined {
  const dist = path.join(project, 'dist');
  if (!fs.existsSync(dist)) return undefined;
  const out: Output = {};
  for (const f of fs.readdirSync(dist)) {
    if (f === '.bulwark-report') continue;
    out[`dist/${f}`] = fs.readFileSync(path.join(dist, f), 'utf8');
  }
  const requests = path.join(project, 'dist-grant-requests.yaml');
  if (fs.existsSync(requests)) out['dist-grant-requests.yaml'] = fs.readFileSync(requests, 'utf8');
  const report = path.join(project, 'dist-report');
  if (fs.existsSync(report)) {
    for (const f of fs.readdirSync(report)) out[`dist-report/${f}`] = fs.readFileSync(path.join(report, f), 'utf8');
  }
  return out;
}

function warmChild(project: string, version: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD], {
    cwd: project,
    env: { ...process.env, BULWARK_TEST_VERSION: version, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d) => (String(d).startsWith('ready') ? resolve(child) : reject(new Error(String(d)))));
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

describe('bulwark synth killed at random moments', () => {
  const project = tempProject(APP, 'bulwark-kill-');
  const expected: Record<string, Output> = {};

  beforeAll(async () => {
    for (const v of ['b', 'a']) {
      const run = await runCli(['synth'], project, { BULWARK_TEST_VERSION: v });
      expect(run.code).toBe(0);
      const out = readOutput(project)!;
      expected[v] = out;
    }
    expect(Object.keys(expected.a).sort()).toEqual([
      'dist-grant-requests.yaml',
      'dist-report/network.mmd',
      'dist-report/network.svg',
      'dist-report/report.html',
      'dist-report/report.md',
      'dist/.bulwark-grant-requests',
      'dist/.bulwark-output',
      'dist/pay.k8s.yaml',
      'dist/shop.k8s.yaml',
    ]);
    expect(expected.a).not.toEqual(expected.b);
    expect(expected.a['dist-grant-requests.yaml']).toContain('reason: version a');
    expect(expected.b['dist-grant-requests.yaml']).toContain('reason: version b');
  });

  it(`leaves the complete old or new output, with its report, after each of ${KILLS} kills`, async () => {
    // How long a run takes from `go` to exit, to spread the kills over it.
    const timed = await warmChild(project, 'a');
    const t0 = Date.now();
    timed.stdin!.write('[]\n');
    await new Promise((resolve) => timed.once('exit', resolve));
    const runMs = Date.now() - t0;

    const seen = { old: 0, new: 0, completed: 0 };
    let previous = 'a';
    // Each run writes the version the output does not hold. Children load ahead, a few per version, so the test
    // waits for loading as little as possible.
    const pools: Record<string, Promise<ChildProcess>[]> = { a: [], b: [] };
    for (const v of ['a', 'b']) for (let k = 0; k < POOL; k++) pools[v].push(warmChild(project, v));
    for (let i = 0; i < KILLS; i++) {
      const version = previous === 'a' ? 'b' : 'a';
      const child = await pools[version].shift()!;
      pools[version].push(warmChild(project, version));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.stdin!.write('[]\n');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * runMs * 1.2));
      child.kill('SIGKILL');
      const code = await exited;
      const out = readOutput(project);
      if (out === undefined) throw new Error(`kill ${i}: no output at all`);
      if (JSON.stringify(out) === JSON.stringify(expected[version])) {
        seen.new++;
        if (code === 0) seen.completed++;
        previous = version;
      } else if (JSON.stringify(out) === JSON.stringify(expected[previous])) {
        seen.old++;
      } else {
        throw new Error(`kill ${i}: the output is neither the old nor the new one: ${Object.keys(out).join(', ')}`);
      }
    }
    for (const v of ['a', 'b']) for (const c of pools[v]) (await c).kill('SIGKILL');
    // Every kill was checked; most should land inside the run (not all before or after it).
    expect(seen.old + seen.new).toBe(KILLS);
    expect(seen.old).toBeGreaterThan(KILLS / 5);
    process.stdout.write(
      `kill test: ${KILLS} kills, ${seen.old} left the old output, ${seen.new} the new one (${seen.completed} of them after the run had ended)\n`,
    );

    // The next run cleans what the killed ones left.
    const last = await runCli(['synth', '--no-audit'], project, { BULWARK_TEST_VERSION: previous });
    expect(last.code).toBe(0);
    const store = fs.readdirSync(path.join(project, '.dist.bulwark')).sort();
    expect(store).toEqual(['.gitignore', path.basename(fs.readlinkSync(path.join(project, 'dist')))]);
  });
});
