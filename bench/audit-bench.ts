import * as path from 'path';
import type { AuditChildReport } from './audit-child';
import { REPO_ROOT, runMeasured, RunOptions, tsNodeArgs } from './measured-process';

const CHILD = path.join(__dirname, 'audit-child.ts');
const BIN = path.join(REPO_ROOT, 'bin', 'bulwark.js');

/** One "after parse" measurement: the corpus read in a fresh process, then the audit alone timed inside it. */
export interface AuditAfterParseRun {
  readonly objects: number;
  readonly findings: number;
  readonly parseMs: number;
  /** The first `new Auditor(options).audit(objects)` of the process. */
  readonly auditMs: number;
  /** The same audit again, with warm code. */
  readonly warmAuditMs: number;
  readonly maxRssMb: number;
}

export async function measureAuditAfterParse(dir: string, options: RunOptions = {}): Promise<AuditAfterParseRun> {
  const p = await runMeasured(tsNodeArgs(CHILD, [dir]), options);
  const line = p.stdout.trim().split('\n').pop() ?? '';
  if (p.code !== 0 || !line.startsWith('{')) {
    throw new Error(`audit of ${dir} failed with exit code ${p.code}:\n${p.stderr.trim()}`);
  }
  const r = JSON.parse(line) as AuditChildReport;
  if (r.inputErrors > 0) throw new Error(`the corpus in ${dir} has ${r.inputErrors} input errors`);
  return {
    objects: r.objects,
    findings: r.findings,
    parseMs: r.parseMs,
    auditMs: r.auditMs,
    warmAuditMs: r.warmAuditMs,
    maxRssMb: (Number.isFinite(p.maxRssKb) ? p.maxRssKb : r.maxRssKb) / 1024,
  };
}

/** One end-to-end measurement: `node bin/bulwark.js audit --format json <dir>` from spawn to exit. */
export interface AuditEndToEndRun {
  readonly wallMs: number;
  readonly objects: number;
  readonly findings: number;
  readonly exitCode: number;
  readonly maxRssMb: number;
}

interface JsonReportSummary {
  readonly summary: { readonly objects: number; readonly errors: number; readonly warnings: number };
}

export async function measureAuditEndToEnd(dir: string, options: RunOptions = {}): Promise<AuditEndToEndRun> {
  const p = await runMeasured([BIN, 'audit', '--format', 'json', dir], options);
  // 0: no findings, 1: findings (the corpus has violations on purpose); anything else is a failed run.
  if (p.code !== 0 && p.code !== 1) {
    throw new Error(`bulwark audit ${dir} exited with ${p.code}:\n${p.stderr.trim()}`);
  }
  const report = JSON.parse(p.stdout) as JsonReportSummary;
  return {
    wallMs: p.wallMs,
    objects: report.summary.objects,
    findings: report.summary.errors + report.summary.warnings,
    exitCode: p.code,
    maxRssMb: p.maxRssKb / 1024,
  };
}
