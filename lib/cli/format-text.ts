import { visibleText } from '../util/visible-text';
import type { Finding } from '../policy/engine';
import { formatObjectRef } from '../k8s/k8s-object';
import { formatInputError } from '../manifest/manifests';
import { AuditReport, formatSummary, summarize } from './audit-report';

export interface TextFormatOptions {
  /** ANSI colours (only for a terminal). @default false */
  readonly color?: boolean;
  /** Longest line, in characters; messages wrap under themselves past it. @default TEXT_WIDTH */
  readonly width?: number;
}

/** Default width of the text report: lines wrap before it (a rule id or a word longer than a line stays whole). */
export const TEXT_WIDTH = 100;

const ANSI = { bold: '1', dim: '2', red: '31', yellow: '33' } as const;

type Label = 'error' | 'warning' | 'exempted';

/** One row of an object: every finding of one rule with one label on that object (the same rule repeating is one row). */
interface Row {
  readonly label: Label;
  readonly findings: Finding[];
  /** For exempted rows: the reason and whether it was granted (`exempted: <reason>; granted by ...`). */
  readonly reason?: string;
}

interface Group {
  readonly title: string;
  readonly fileIndex: number;
  readonly line: number;
  readonly rows: Map<string, Row>;
}

function groupKey(f: Finding): string {
  const o = f.object;
  return `${f.source?.file ?? ''}\0${f.source?.line ?? ''}\0${o.apiVersion}\0${o.kind}\0${o.namespace ?? ''}\0${o.name}`;
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What one row says: the finding's message, or for a rule repeating on the object the first message and where else. */
function rowText(row: Row): string {
  const [first, ...more] = row.findings;
  if (row.label === 'exempted') {
    const what = row.findings.length === 1 ? first.message : plural(row.findings.length, 'finding');
    return `${what} (${row.reason})`;
  }
  if (more.length === 0) return first.message;
  const where = [...new Set(more.map((f) => f.path ?? f.container ?? '').filter((p) => p !== ''))];
  const also = `and ${more.length} more of this rule`;
  return where.length > 0 && where.length <= 3
    ? `${first.message} (${also}: ${where.join(', ')})`
    : `${first.message} (${also})`;
}

/**
 * The human report: findings grouped by object (`Kind namespace/name (file:line)`), one row per rule and object
 * (`line  severity  rule  message`, where line is the offending field's; a rule repeating on the object is one row
 * saying how often), exempted findings as one row per rule with the reason, messages wrapped to the width, then per
 * rule its totals and remediation, notes about skipped files, and the summary line.
 */
export function formatText(report: AuditReport, options: TextFormatOptions = {}): string {
  const width = options.width ?? TEXT_WIDTH;
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const fileIndex = new Map(report.files.map((f, i) => [f, i]));
  const groups = new Map<string, Group>();
  const add = (finding: Finding, label: Label, reason?: string) => {
    const key = groupKey(finding);
    let group = groups.get(key);
    if (!group) {
      const src = finding.source;
      const where = src ? ` (${src.file}${src.line !== undefined ? `:${src.line}` : ''})` : '';
      group = {
        // Names, files and messages come from the input: no terminal escape or extra line of theirs is printed.
        title: visibleText(`${formatObjectRef(finding.object)}${where}`),
        fileIndex: src ? (fileIndex.get(src.file) ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER,
        line: src?.line ?? 0,
        rows: new Map(),
      };
      groups.set(key, group);
    }
    const rowKey = `${label}\0${finding.ruleId}\0${reason ?? ''}`;
    const row = group.rows.get(rowKey);
    if (row) row.findings.push(finding);
    else group.rows.set(rowKey, { label, findings: [finding], ...(reason !== undefined ? { reason } : {}) });
  };
  for (const f of report.result.findings) add(f, f.severity);
  for (const f of report.result.exempted) {
    const how = f.grant
      ? `exempted: ${f.reason}; granted by ${f.grant.approver} until ${f.grant.expires}`
      : `exempted by annotation only, not granted: ${f.reason}`;
    add(f, 'exempted', how);
  }

  const sorted = [...groups.values()].sort((a, b) => a.fileIndex - b.fileIndex || a.line - b.line);
  let ruleWidth = 0;
  let lineWidth = 0;
  for (const g of sorted) {
    for (const r of g.rows.values()) {
      ruleWidth = Math.max(ruleWidth, r.findings[0].ruleId.length);
      const line = r.findings[0].line ?? r.findings[0].source?.line;
      lineWidth = Math.max(lineWidth, line === undefined ? 1 : String(line).length);
    }
  }
  const labelWidth = 'exempted'.length;
  const colour = { error: ANSI.red, warning: ANSI.yellow, exempted: ANSI.dim } as const;
  const labels = {
    error: paint(colour.error, 'error'.padEnd(labelWidth)),
    warning: paint(colour.warning, 'warning'.padEnd(labelWidth)),
    exempted: paint(colour.exempted, 'exempted'.padEnd(labelWidth)),
  };
  // Messages start at this column; past half the width they start on the next line instead, under the rule id.
  const messageColumn = 2 + lineWidth + 2 + labelWidth + 2 + ruleWidth + 2;
  const inline = messageColumn <= width / 2;
  const messageIndent = inline ? messageColumn : 2 + lineWidth + 2 + labelWidth + 2;
  const messageWidth = Math.max(20, width - messageIndent);
  const out: string[] = [];
  for (const g of sorted) {
    out.push(paint(ANSI.bold, g.title));
    const rows = [...g.rows.values()].sort(
      (a, b) =>
        Number(a.label === 'exempted') - Number(b.label === 'exempted') ||
        a.findings[0].ruleId.localeCompare(b.findings[0].ruleId),
    );
    for (const r of rows) {
      const first = r.findings[0];
      const line = String(first.line ?? first.source?.line ?? '-').padStart(lineWidth);
      const head = `  ${line}  ${labels[r.label]}  `;
      // Names, files and messages come from the input: no terminal escape or extra line of theirs is printed.
      const text = wrapWords(visibleText(rowText(r)), messageWidth);
      if (inline) {
        out.push(`${head}${first.ruleId.padEnd(ruleWidth)}  ${text[0]}`);
        for (const t of text.slice(1)) out.push(`${' '.repeat(messageIndent)}${t}`);
      } else {
        out.push(`${head}${first.ruleId}`);
        for (const t of text) out.push(`${' '.repeat(messageIndent)}${t}`);
      }
    }
    out.push('');
  }

  const totals = new Map<string, { error: number; warning: number; exempted: number; remediation: string }>();
  const count = (f: Finding, label: Label) => {
    let t = totals.get(f.ruleId);
    if (!t) totals.set(f.ruleId, (t = { error: 0, warning: 0, exempted: 0, remediation: f.remediation }));
    t[label]++;
  };
  for (const f of report.result.findings) count(f, f.severity);
  for (const f of report.result.exempted) count(f, 'exempted');
  if (totals.size > 0) {
    out.push(paint(ANSI.bold, 'Rules'));
    const ids = [...totals.keys()].sort((a, b) => a.localeCompare(b));
    const idWidth = Math.max(...ids.map((id) => id.length));
    for (const id of ids) {
      const t = totals.get(id)!;
      const parts = [
        ...(t.error ? [plural(t.error, 'error')] : []),
        ...(t.warning ? [plural(t.warning, 'warning')] : []),
        ...(t.exempted ? [`${t.exempted} exempted`] : []),
      ];
      out.push(`  ${id.padEnd(idWidth)}  ${parts.join(', ')}`);
      if (t.error + t.warning > 0) {
        for (const l of wrapWords(t.remediation, Math.max(20, width - idWidth - 4))) {
          out.push(`  ${' '.repeat(idWidth)}  ${paint(ANSI.dim, l)}`);
        }
      }
    }
    out.push('');
  }
  for (const n of report.notes ?? []) out.push(`note: ${formatInputError(n)}`);
  if ((report.notes ?? []).length > 0) out.push('');
  out.push(formatSummary(summarize(report)));
  return `${out.join('\n')}\n`;
}
