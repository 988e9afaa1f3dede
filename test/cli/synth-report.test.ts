import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthCommand } from '../../lib/cli/synth-command';
import { readManifests } from '../../lib/manifest/manifests';
import { openWorkloads } from '../../lib/graph/reachability';
import { renderReportHtml } from '../../lib/report/render-report-html';
import { postureReportOf } from '../../lib/report/report-of-manifests';
import { SYNTH_REPORT_FILES, synthReportDir, writeSynthReport } from '../../lib/cli/synth-report';
import { captureIo } from '../helpers/capture-io';

const ROOT = path.join(__dirname, '..', '..');

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

describe('bulwark synth writes the posture report next to its output', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-synth-report-'));
  const out = path.join(tmp, 'dist');
  let first: Record<string, string>;
  let stdout: string;

  beforeAll(async () => {
    const io = captureIo(ROOT);
    expect(await synthCommand(['--out', out], io)).toBe(0);
    stdout = io.out();
    first = readDir(synthReportDir(out));
  });

  it('writes report.html, report.md, network.svg and network.mmd to <out>-report/ and says so', () => {
    expect(synthReportDir('dist')).toBe('dist-report');
    expect(synthReportDir('out/dist/')).toBe('out/dist-report');
    expect(Object.keys(first)).toEqual([...SYNTH_REPORT_FILES].sort());
    expect(stdout).toContain(
      `bulwark synth: wrote the posture report and network graph to ${out}-report/ (report.html, report.md, network.svg, network.mmd)\n`,
    );
  });

  it('writes the same bytes on every run', async () => {
    const io = captureIo(ROOT);
    expect(await synthCommand(['--out', out], io)).toBe(0);
    expect(readDir(synthReportDir(out))).toEqual(first);
  });

  it('reports on the synthesized manifests: the HTML is the report of what is in <out>', async () => {
    const m = await readManifests([out], { cwd: ROOT });
    const { report } = postureReportOf(m, {}, `bulwark posture report: ${out}/`);
    expect(first['report.html']).toBe(renderReportHtml(report));
    expect(report.totals.errors).toBe(0);
    expect(openWorkloads(report.graph)).toEqual([]);
    expect(first['report.md']).toContain('No workload is open to all.');
  });

  it('writes nothing with --no-audit', async () => {
    const other = path.join(tmp, 'quiet');
    expect(await synthCommand(['--out', other, '--no-audit'], captureIo(ROOT))).toBe(0);
    expect(fs.existsSync(synthReportDir(other))).toBe(false);
  });

  it('says why it cannot write the report, and fails', async () => {
    const blocked = path.join(tmp, 'blocked');
    fs.writeFileSync(blocked, 'a file where the report directory would go');
    const io = captureIo(ROOT);
    expect(writeSynthReport(await readManifests([out], { cwd: ROOT }), blocked, 'dist/', io)).toBe(false);
    expect(io.err()).toBe(
      `bulwark synth: cannot write the report to ${blocked}/: a file is in the way of the directory: remove it or choose another --out\n`,
    );
  });
});
