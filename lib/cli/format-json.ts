import type { ExemptedFinding, Finding } from '../policy/engine';
import type { ExemptionGrant } from '../policy/exemption-grants';
import type { InputError } from '../manifest/manifests';
import { AuditReport, AuditSummary, summarize } from './audit-report';

/** One finding in the JSON report; absent optional fields are null so every finding has the same keys. */
export interface JsonFinding {
  /** Stable across runs: the same rule, file, object, container and field give the same id. */
  readonly id: string;
  readonly ruleId: string;
  readonly severity: string;
  readonly title: string;
  readonly message: string;
  readonly remediation: string;
  readonly object: { apiVersion: string; kind: string; namespace: string | null; name: string };
  readonly container: string | null;
  readonly path: string | null;
  /**
   * Where it is: the file, the line of the offending field (the object's line when the field is not in the file),
   * the object's own line, the document's index in the file (0-based, documents cut at `---` as kubectl does) and,
   * for an object of a List, its index in `items`.
   */
  readonly source: {
    file: string;
    line: number | null;
    objectLine: number | null;
    document: number | null;
    item: number | null;
  } | null;
  /** The object's exemption annotation for this rule that did not count, and why (`not-granted`, `expired`, ...). */
  readonly exemption: { status: string; reason: string; note: string; grant: ExemptionGrant | null } | null;
}

export interface JsonExemptedFinding extends JsonFinding {
  readonly reason: string;
  /** False when the exemption is declared by an annotation only (no grant was checked). */
  readonly granted: boolean;
  readonly grant: ExemptionGrant | null;
}

/** How often one rule fired. */
export interface JsonRuleTotal {
  readonly ruleId: string;
  readonly errors: number;
  readonly warnings: number;
  readonly exempted: number;
}

export interface JsonReport {
  readonly summary: AuditSummary;
  /** Per rule that fired, sorted by rule id. */
  readonly rules: JsonRuleTotal[];
  readonly findings: JsonFinding[];
  readonly exempted: JsonExemptedFinding[];
  readonly errors: { file: string; line: number | null; message: string }[];
  /** Files skipped without failing the audit (non-Kubernetes YAML found in a directory). */
  readonly notes: { file: string; message: string }[];
}

function jsonFinding(f: Finding): JsonFinding {
  const src = f.source;
  return {
    id: f.id,
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
    source: src
      ? {
          file: src.file,
          line: f.line ?? src.line ?? null,
          objectLine: src.line ?? null,
          document: src.document ?? null,
          item: src.item ?? null,
        }
      : null,
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

/** Per-rule totals of findings and exempted findings, sorted by rule id. */
export function ruleTotals(report: AuditReport): JsonRuleTotal[] {
  const totals = new Map<string, { errors: number; warnings: number; exempted: number }>();
  const get = (id: string) => {
    let t = totals.get(id);
    if (!t) totals.set(id, (t = { errors: 0, warnings: 0, exempted: 0 }));
    return t;
  };
  for (const f of report.result.findings) get(f.ruleId)[f.severity === 'error' ? 'errors' : 'warnings']++;
  for (const f of report.result.exempted) get(f.ruleId).exempted++;
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([ruleId, t]) => ({ ruleId, ...t }));
}

const note = (n: InputError) => ({ file: n.file, message: n.message });

export function toJsonReport(report: AuditReport): JsonReport {
  return {
    summary: summarize(report),
    rules: ruleTotals(report),
    findings: report.result.findings.map(jsonFinding),
    exempted: report.result.exempted.map((f: ExemptedFinding) => ({
      ...jsonFinding(f),
      reason: f.reason,
      granted: f.grant !== undefined,
      grant: f.grant ?? null,
    })),
    errors: report.inputErrors.map((e) => ({ file: e.file, line: e.line ?? null, message: e.message })),
    notes: (report.notes ?? []).map(note),
  };
}

/** The machine report: `{ summary, rules, findings, exempted, errors, notes }`, pretty-printed. */
export function formatJson(report: AuditReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
