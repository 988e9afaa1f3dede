import * as fs from 'fs';
import * as path from 'path';
import type { CliIo } from './cli-io';
import { renderMermaid } from '../graph/render-mermaid';
import { renderSvg } from '../graph/render-svg';
import { readManifests } from '../manifest/manifests';
import { postureReportOf } from '../report/report-of-manifests';
import { renderReportHtml } from '../report/render-report-html';
import { renderReportMarkdown } from '../report/render-report-markdown';

/** Files written next to the synthesized manifests, in `<out>-report/`. */
export const SYNTH_REPORT_FILES: readonly string[] = ['report.html', 'report.md', 'network.svg', 'network.mmd'];

/** `dist` → `dist-report`: where `bulwark synth` puts the report of `<out>`. */
export function synthReportDir(out: string): string {
  return `${out.replace(/[\\/]+$/, '')}-report`;
}

function writeProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EEXIST' || code === 'ENOTDIR')
    return 'a file is in the way of the directory: remove it or choose another --out';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: choose a writable --out';
  const message = (e as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(e);
}

/**
 * Writes the posture report (HTML, Markdown) and the network graph (SVG, Mermaid) of the manifests in `outDir` to
 * `reportDir`, with the default audit options. Deterministic: same manifests, same bytes (no dates, no random ids).
 * Returns false, after saying why on stderr, when the files cannot be written.
 */
export async function writeSynthReport(outDir: string, reportDir: string, io: CliIo): Promise<boolean> {
  const manifests = await readManifests([outDir], { cwd: io.cwd });
  const { report } = postureReportOf(manifests, {}, `bulwark posture report: ${outDir}/`);
  const target = path.resolve(io.cwd, reportDir);
  const contents: Record<string, string> = {
    'report.html': renderReportHtml(report),
    'report.md': renderReportMarkdown(report),
    'network.svg': renderSvg(report.graph),
    'network.mmd': renderMermaid(report.graph),
  };
  try {
    fs.mkdirSync(target, { recursive: true });
    for (const name of SYNTH_REPORT_FILES) fs.writeFileSync(path.join(target, name), contents[name]);
  } catch (e) {
    io.stderr(`bulwark synth: cannot write the report to ${reportDir}/: ${writeProblem(e)}\n`);
    return false;
  }
  io.stdout(
    `bulwark synth: wrote the posture report and network graph to ${reportDir}/ (${SYNTH_REPORT_FILES.join(', ')})\n`,
  );
  return true;
}
