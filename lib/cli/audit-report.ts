import type { AuditResult } from '../policy/engine';
import type { InputError } from '../manifest/manifests';
import type { Rule, Severity } from '../policy/rule';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './cli-io';

/** Everything an audit produced, as the formatters (text, JSON, SARIF) receive it. */
export interface AuditReport {
  readonly result: AuditResult;
  readonly inputErrors: readonly InputError[];
  /** Files skipped with a note (non-Kubernetes YAML in a directory); they never change the exit code. */
  readonly notes?: readonly InputError[];
  /** Files read, in reading order, as named in findings' sources. */
  readonly files: readonly string[];
  /** The rules that ran. */
  readonly rules: readonly Rule[];
  readonly failOn: Severity;
  /** An exemption declared by annotation only (no grant) fails the audit. */
  readonly failOnUngranted?: boolean;
}

export interface AuditSummary {
  readonly objects: number;
  readonly files: number;
  /** Findings of severity error (not exempted). */
  readonly errors: number;
  readonly warnings: number;
  readonly exempted: number;
  /** Exempted findings whose exemption is declared by an annotation only: no grant was checked (no --exemptions). */
  readonly notGranted: number;
  readonly inputErrors: number;
}

export function summarize(report: AuditReport): AuditSummary {
  let errors = 0;
  for (const f of report.result.findings) if (f.severity === 'error') errors++;
  return {
    objects: report.result.objectCount,
    files: report.files.length,
    errors,
    warnings: report.result.findings.length - errors,
    exempted: report.result.exempted.length,
    notGranted: report.result.exempted.filter((f) => f.grant === undefined).length,
    inputErrors: report.inputErrors.length,
  };
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** `N objects, E errors, W warnings, X exempted in F files` (plus input errors, when there are any). */
export function formatSummary(s: AuditSummary): string {
  const line =
    `${count(s.objects, 'object')}, ${count(s.errors, 'error')}, ${count(s.warnings, 'warning')}, ` +
    `${s.exempted} exempted${s.notGranted > 0 ? ` (${s.notGranted} not granted)` : ''} in ${count(s.files, 'file')}`;
  return s.inputErrors > 0 ? `${line}; ${count(s.inputErrors, 'input error')}` : line;
}

/**
 * 2 when the input had errors, else 1 when a finding is at or above `failOn` (or, with `failOnUngranted`, an exemption
 * is not granted), else 0. Granted exemptions never fail.
 */
export function exitCodeOf(report: AuditReport): number {
  if (report.inputErrors.length > 0) return EXIT_USAGE;
  const failing =
    report.result.findings.some((f) => f.severity === 'error' || report.failOn === 'warning') ||
    (report.failOnUngranted === true && report.result.exempted.some((f) => f.grant === undefined));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
