import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPORT_HELP, reportCommand } from '../../lib/cli/report-command';
import { readManifests } from '../../lib/manifest/manifests';
import { renderReportHtml } from '../../lib/report/render-report-html';
import { renderReportMarkdown } from '../../lib/report/render-report-markdown';
import { postureReportOf } from '../../lib/report/report-of-manifests';
import { captureIo } from '../helpers/capture-io';

const ROOT = path.join(__dirname, '..', '..');
const SHOP = 'test/fixtures/graph/shop.yaml';
const OPEN_LINES =
  'bulwark report: open to all: Deployment shop/frontend: shop/frontend ingress[0] admits ipBlock 0.0.0.0/0 on ports TCP 8443\n' +
  'bulwark report: open to all: Deployment shop/legacy: no NetworkPolicy selects it for ingress\n';

async function run(argv: string[], stdin = '') {
  const io = captureIo(ROOT, stdin);
  const code = await reportCommand(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

async function expectedReport(options: Parameters<typeof postureReportOf>[1] = {}) {
  const m = await readManifests([SHOP], { cwd: ROOT });
  return postureReportOf(m, options);
}

describe('bulwark report (in process)', () => {
  it('prints its help', async () => {
    expect(await run(['-h'])).toEqual({ code: 0, stdout: REPORT_HELP, stderr: '' });
  });

  it('refuses bad usage with exit 2: its own --format, and the audit options with the audit messages', async () => {
    expect(await run(['--format', 'pdf', SHOP])).toEqual({
      code: 2,
      stdout: '',
      stderr: "bulwark report: --format: invalid value 'pdf': use html, markdown\n",
    });
    expect((await run(['--format'])).stderr).toBe(
      'bulwark report: --format: missing value: --format needs a value (see --help)\n',
    );
    expect((await run(['--level', 'strict', SHOP])).stderr).toBe(
      "bulwark report: --level: invalid value 'strict': use baseline, restricted\n",
    );
    expect((await run(['--format', 'markdown'])).stderr).toBe(
      'bulwark report: no input: give files, directories or - for standard input (see --help)\n',
    );
  });

  it('writes HTML by default; exit 1 on error findings, workloads open to all on stderr', async () => {
    const { report } = await expectedReport();
    expect(await run([SHOP])).toEqual({ code: 1, stdout: renderReportHtml(report), stderr: OPEN_LINES });
  });

  it('passes the audit options through: --only and --fail-on decide the exit code as for bulwark audit', async () => {
    const { report } = await expectedReport({ level: 'restricted', pssVersion: 'latest', only: ['network'] });
    const r = await run(['--format', 'markdown', '--only', 'network', SHOP]);
    expect(r).toEqual({ code: 0, stdout: renderReportMarkdown(report), stderr: OPEN_LINES });
    expect(r.stdout).toContain('Pod Security level `restricted` · PSS version `latest` · rules `network`');
    expect((await run(['--only', 'network', '--fail-on', 'warning', SHOP])).code).toBe(1);
  });

  it('writes to --output with the audit summary line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-report-'));
    const out = path.join(dir, 'report.md');
    const { report, result } = await expectedReport();
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    const r = await run(['--output', out, '--format=markdown', SHOP]);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        OPEN_LINES +
        `bulwark report: wrote the markdown report to ${out}: 10 objects, ${errors} errors, ` +
        `${result.findings.length - errors} warnings, 2 exempted (2 not granted) in 1 file\n`,
    });
    expect(fs.readFileSync(out, 'utf8')).toBe(renderReportMarkdown(report));
  });

  it('exits 2 on input errors and reports them in the page', async () => {
    const r = await run(['nope.yaml', SHOP]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'bulwark report: nope.yaml: no such file or directory: check the path (inputs are files, directories or - for stdin)',
    );
    expect(r.stdout).toContain(
      '<h2 id="input-errors">Input errors</h2>\n<p>These inputs could not be read; the report covers the rest.</p>\n<ul>\n<li><code>nope.yaml: no such file or directory',
    );
  });
});

describe('bulwark report (the real bin)', () => {
  it('runs as a child process on standard input', async () => {
    const r = spawnSync(process.execPath, [path.join('bin', 'bulwark.js'), 'report', '--format', 'markdown', '-'], {
      cwd: ROOT,
      input: fs.readFileSync(path.join(ROOT, SHOP), 'utf8'),
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(OPEN_LINES);
    expect(r.stdout.startsWith('# bulwark posture report\n\n10 objects from `stdin`.\n')).toBe(true);
    expect(r.stdout).toContain('\n```mermaid\nflowchart LR\n');
  });
});
