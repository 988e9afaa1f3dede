import * as fs from 'fs';
import * as path from 'path';
import type { CliIo } from './cli-io';
import { renderMermaid } from '../graph/render-mermaid';
import { renderSvg } from '../graph/render-svg';
import type { Manifests } from '../manifest/manifests';
import { postureReportOf } from '../report/report-of-manifests';
import { renderReportHtml } from '../report/render-report-html';
import { renderReportMarkdown } from '../report/render-report-markdown';

/** The report files of a synthesis, in `<out>/.bulwark-report/` (seen as `<out>-report/`). */
export const SYNTH_REPORT_FILES: readonly string[] = ['report.html', 'report.md', 'network.svg', 'network.mmd'];

/** `dist` → `dist-report`: where `bulwark synth` shows the report of `<out>`. */
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
 * Writes the posture report (HTML, Markdown) and the network graph (SVG, Mermaid) of `manifests` (titled by `shownAs`,
 * the output as the user names it) to `reportDir`, with the default audit options. Deterministic: same manifests, same
 * bytes (no dates, no random ids). Returns false, after saying why on stderr, when the files cannot be written.
 */
export function writeSynthReport(manifests: Manifests, reportDir: string, shownAs: string, io: CliIo): boolean {
  const { report } = postureReportOf(manifests, {}, `bulwark posture report: ${shownAs}`);
  const contents: Record<string, string> = {
    'report.html': renderReportHtml(report),
    'report.md': renderReportMarkdown(report),
    'network.svg': renderSvg(report.graph),
    'network.mmd': renderMermaid(report.graph),
  };
  try {
    fs.mkdirSync(reportDir, { recursive: true });
    for (const name of SYNTH_REPORT_FILES) fs.writeFileSync(path.join(reportDir, name), contents[name]);
  } catch (e) {
    io.stderr(`bulwark synth: cannot write the report to ${reportDir}/: ${writeProblem(e)}\n`);
    return false;
  }
  return true;
}
