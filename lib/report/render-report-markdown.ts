import { nodeName } from '../graph/render-html';
import { formatPorts } from '../graph/port-set';
import { openWorkloads } from '../graph/reachability';
import { renderMermaid } from '../graph/render-mermaid';
import { formatInputError } from '../manifest/manifests';
import { oneLine } from '../util/visible-text';
import { formatFindingObject, formatSource, PostureReport } from './posture-report';

/**
 * Text for a table cell: one line (every CommonMark line ending, a lone CR included, made a space), control
 * characters escaped, `|` escaped, HTML-looking text neutralised, and `[`, `]` and backticks escaped so that no
 * link, image or code span of the text's own is rendered.
 */
function cell(text: string): string {
  return oneLine(text)
    .replace(/[\\`[\]|]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * A code span that holds any text: fenced with one more backtick than the longest run of backticks in it (so none
 * closes it early), on one line, control characters escaped, `|` escaped for the table it sits in.
 */
function code(text: string): string {
  if (text === '') return '';
  const line = oneLine(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const align = head.map((_, i) => (numeric.includes(i) ? '---:' : '---'));
  return [head, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** The posture report as Markdown (GitHub flavoured), with the network graph as a Mermaid diagram. */
export function renderReportMarkdown(r: PostureReport): string {
  const t = r.totals;
  const out: string[] = [`# ${cell(r.title)}`, ''];
  out.push(`${t.objects} objects from ${r.files.map(code).join(', ') || 'no file'}.`);
  if (r.settings.length) out.push('', r.settings.map(([k, v]) => `${cell(k)} ${code(v)}`).join(' · '));
  out.push(
    '',
    table(
      ['Errors', 'Warnings', 'Exempted', 'Open to all', 'Workloads', 'Connections', 'Input errors'],
      [[t.errors, t.warnings, t.exempted, t.openToAll, t.workloads, t.connections, t.inputErrors].map(String)],
      [0, 1, 2, 3, 4, 5, 6],
    ),
  );
  if (r.inputErrors.length) {
    out.push('', '## Input errors', '', ...r.inputErrors.map((x) => `- ${code(formatInputError(x))}`));
  }

  out.push('', '## Findings by rule', '');
  if (r.rules.length === 0) out.push(`No finding from the ${t.rulesRun} rules that ran.`);
  else {
    out.push(
      table(
        ['Severity', 'Rule', 'Title', 'Group', 'Findings', 'Exempted'],
        r.rules.map((s) => [
          s.severity,
          code(s.id),
          cell(s.title),
          s.group,
          String(s.findings.length),
          String(s.exempted.length),
        ]),
        [4, 5],
      ),
    );
    for (const s of r.rules.filter((x) => x.findings.length > 0)) {
      out.push('', `### ${s.severity}: ${code(s.id)} ${cell(s.title)}`, '', `**Fix:** ${cell(s.remediation)}`, '');
      out.push(
        table(
          ['Object', 'Finding', 'Source'],
          s.findings.map((f) => [code(formatFindingObject(f)), cell(f.message), code(formatSource(f))]),
        ),
      );
    }
  }

  out.push('', '## Exemptions', '');
  if (r.exemptions.length === 0) out.push('No exemption.');
  else {
    out.push(
      table(
        ['Object', 'Rule', 'Reason', 'Granted', 'Source'],
        r.exemptions.map((x) => [
          code(formatFindingObject(x)),
          code(x.ruleId),
          cell(x.reason),
          cell(x.grant ? `by ${x.grant.approver} until ${x.grant.expires}` : 'no: annotation only'),
          code(formatSource(x)),
        ]),
      ),
    );
  }
  out.push(
    '',
    `Namespaces the admission policies leave out (nothing there is checked in the cluster): ${r.admissionExcludedNamespaces.map((n) => code(n)).join(', ')}.`,
  );

  out.push('', '## Namespaces', '');
  out.push(
    table(
      [
        'Namespace',
        'Objects',
        'Workloads',
        'Errors',
        'Warnings',
        'Exempted',
        'Ingress isolated',
        'Egress isolated',
        'Open to all',
      ],
      r.namespaces.map((n) => [
        code(n.name),
        ...[n.objects, n.workloads, n.errors, n.warnings, n.exempted].map(String),
        n.workloads ? `${n.ingressIsolated} / ${n.workloads}` : '—',
        n.workloads ? `${n.egressIsolated} / ${n.workloads}` : '—',
        String(n.openToAll),
      ]),
      [1, 2, 3, 4, 5, 6, 7, 8],
    ),
  );

  const g = r.graph;
  out.push('', '## Network', '', '```mermaid', renderMermaid(g).trimEnd(), '```', '', '### Open to all', '');
  const open = openWorkloads(g);
  if (open.length === 0) out.push('No workload is open to all.');
  else {
    out.push(
      table(
        ['Workload', 'Why any pod or address may connect'],
        open.map((w) => [code(`${w.namespace}/${w.name}`), w.openToAll.map(cell).join('<br>')]),
      ),
    );
  }
  out.push('', '### Connections', '');
  if (g.connections.length === 0) out.push('No connection is allowed.');
  else {
    out.push(
      table(
        ['From', 'To', 'Ports', 'Egress allowed by', 'Ingress allowed by'],
        g.connections.map((c) => [
          code(nodeName(g, c.from)),
          code(nodeName(g, c.to)),
          code(formatPorts(c.ports)),
          c.egress.map(cell).join('<br>') || '—',
          c.ingress.map(cell).join('<br>') || '—',
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
