import type { ExemptedFinding, Finding } from '../policy/engine';
import type { ExemptionGrant } from '../policy/exemption-grants';
import { AuditReport, AuditSummary, summarize } from './audit-report';

/** One finding in the JSON report; absent optional fields are null so every finding has the same keys. */
export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly title: string;
  readonly message: string;
  readonly remediation: string;
  readonly object: { apiVersion: string; kind: string; namespace: string | null; name: string };
  readonly container: string | null;
  readonly path: string | null;
  readonly source: { file: string; line: number | null } | null;
  /** The object's exemption annotation for this rule that did not count, and why (`not-granted`, `expired`, ...). */
  readonly exemption: { status: string; reason: string; note: string; grant: ExemptionGrant | null } | null;
}

export interface JsonExemptedFinding extends JsonFinding {
  readonly reason: string;
  /** False when the exemption is declared by an annotation only (no grant was checked). */
  readonly granted: boolean;
  readonly grant: ExemptionGrant | null;
}

export interface JsonReport {
  readonly summary: AuditSummary;
  readonly findings: JsonFinding[];
  readonly exempted: JsonExemptedFinding[];
  readonly errors: { file: string; line: number | null; message: string }[];
}

function jsonFinding(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    remediation: f.remediation,
    object: {
      apiVersion: f.object.apiVersion,
      kind: f.object.kind,
      namespace: f.object.namespace ?? null,
      name: f.object.name,
    },
    container: f.container ?? null,
    path: f.path ?? null,
    source: f.source ? { file: f.source.file, line: f.source.line ?? null } : null,
    exemption: f.exemption
      ? {
          status: f.exemption.status,
          reason: f.exemption.reason,
          note: f.exemption.note,
          grant: f.exemption.grant ?? null,
        }
      : null,
  };
}

export function toJsonReport(report: AuditReport): JsonReport {
  return {
    summary: summarize(report),
    findings: report.result.findings.map(jsonFinding),
    exempted: report.result.exempted.map((f: ExemptedFinding) => ({
      ...jsonFinding(f),
      reason: f.reason,
      granted: f.grant !== undefined,
      grant: f.grant ?? null,
    })),
    errors: report.inputErrors.map((e) => ({ file: e.file, line: e.line ?? null, message: e.message })),
  };
}

/** The machine report: `{ summary, findings, exempted, errors }`, pretty-printed. */
export function formatJson(report: AuditReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
