import { visibleText } from '../util/visible-text';
import type { Finding } from '../policy/engine';
import { formatObjectRef } from '../k8s/k8s-object';
import { AuditReport, formatSummary, summarize } from './audit-report';

export interface TextFormatOptions {
  /** ANSI colours (only for a terminal). @default false */
  readonly color?: boolean;
}

const ANSI = { bold: '1', dim: '2', red: '31', yellow: '33' } as const;

interface Row {
  readonly label: 'error' | 'warning' | 'exempted';
  readonly finding: Finding;
  readonly text: string;
}

interface Group {
  readonly title: string;
  readonly fileIndex: number;
  readonly line: number;
  readonly rows: Row[];
}

function groupKey(f: Finding): string {
  const o = f.object;
  return `${f.source?.file ?? ''}\0${f.source?.line ?? ''}\0${o.apiVersion}\0${o.kind}\0${o.namespace ?? ''}\0${o.name}`;
}

function sameObject(a: Finding, b: Finding): boolean {
  const x = a.object;
  const y = b.object;
  return (
    a.source === b.source &&
    x.name === y.name &&
    x.kind === y.kind &&
    x.namespace === y.namespace &&
    x.apiVersion === y.apiVersion
  );
}

/**
 * The human report: findings grouped by object (`Kind namespace/name (file:line)`), one aligned row per finding
 * (severity, rule id, container, message), exempted findings with their reason, each fired rule's remediation once,
 * and the summary line.
 */
export function formatText(report: AuditReport, options: TextFormatOptions = {}): string {
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const fileIndex = new Map(report.files.map((f, i) => [f, i]));
  const groups = new Map<string, Group>();
  let previous: Finding | undefined;
  let group: Group | undefined;
  const add = (finding: Finding, label: Row['label'], text: string) => {
    // The engine reports an object's findings together: only look the group up when the object changes.
    if (!previous || !group || !sameObject(previous, finding)) group = groups.get(groupKey(finding));
    previous = finding;
    if (!group) {
      const src = finding.source;
      const where = src ? ` (${src.file}${src.line !== undefined ? `:${src.line}` : ''})` : '';
      group = {
        // Names, files and messages come from the input: no terminal escape or extra line of theirs is printed.
        title: visibleText(`${formatObjectRef(finding.object)}${where}`),
        fileIndex: src ? (fileIndex.get(src.file) ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER,
        line: src?.line ?? 0,
        rows: [],
      };
      groups.set(groupKey(finding), group);
    }
    group.rows.push({ label, finding, text: visibleText(text) });
  };
  for (const f of report.result.findings) add(f, f.severity, f.message);
  for (const f of report.result.exempted) {
    const how = f.grant
      ? `exempted: ${f.reason}; granted by ${f.grant.approver} until ${f.grant.expires}`
      : `exempted by annotation only, not granted: ${f.reason}`;
    add(f, 'exempted', `${f.message} (${how})`);
  }

  const sorted = [...groups.values()].sort((a, b) => a.fileIndex - b.fileIndex || a.line - b.line);
  let ruleWidth = 0;
  let containerWidth = 1;
  for (const g of sorted) {
    for (const r of g.rows) {
      ruleWidth = Math.max(ruleWidth, r.finding.ruleId.length);
      containerWidth = Math.max(containerWidth, visibleText(r.finding.container ?? '-').length);
    }
  }
  const labelWidth = 'exempted'.length;
  const colour = { error: ANSI.red, warning: ANSI.yellow, exempted: ANSI.dim } as const;

  const labels = {
    error: paint(colour.error, 'error'.padEnd(labelWidth)),
    warning: paint(colour.warning, 'warning'.padEnd(labelWidth)),
    exempted: paint(colour.exempted, 'exempted'.padEnd(labelWidth)),
  };
  const paddedIds = new Map<string, string>();
  const out: string[] = [];
  for (const g of sorted) {
    out.push(paint(ANSI.bold, g.title));
    for (const r of g.rows) {
      const id = r.finding.ruleId;
      let paddedId = paddedIds.get(id);
      if (paddedId === undefined) paddedIds.set(id, (paddedId = id.padEnd(ruleWidth)));
      const container = visibleText(r.finding.container ?? '-').padEnd(containerWidth);
      out.push(`  ${labels[r.label]}  ${paddedId}  ${container}  ${r.text}`);
    }
    out.push('');
  }

  const remediations = new Map<string, string>();
  for (const g of sorted) {
    for (const { label, finding } of g.rows) {
      if (label !== 'exempted' && !remediations.has(finding.ruleId))
        remediations.set(finding.ruleId, finding.remediation);
    }
  }
  if (remediations.size > 0) {
    out.push(paint(ANSI.bold, 'Remediation'));
    for (const [id, text] of remediations) out.push(`  ${id.padEnd(ruleWidth)}  ${text}`);
    out.push('');
  }
  out.push(formatSummary(summarize(report)));
  return `${out.join('\n')}\n`;
}
