import { escapeXml } from '../graph/escape-xml';
import { htmlPage } from '../graph/html-page';
import { adjacencyHtml, connectionsHtml, graphFigureHtml, openWorkloadsHtml } from '../graph/render-html';
import { formatInputError } from '../manifest/manifests';
import { formatFindingObject, formatSource, PostureReport, RuleSection } from './posture-report';

const e = escapeXml;

function code(text: string): string {
  return `<code>${e(text)}</code>`;
}

function card(label: string, value: number, tone: 'bad' | 'warn' | 'good' | '' = ''): string {
  return `<div class="card${tone ? ` ${tone}` : ''}"><div class="value">${value}</div><div class="label">${e(label)}</div></div>`;
}

function badge(kind: string, text = kind): string {
  return `<span class="badge ${kind}">${e(text)}</span>`;
}

function header(r: PostureReport): string {
  const t = r.totals;
  const inputs = r.files.length ? r.files.map(code).join(', ') : '<span class="muted">none</span>';
  const settings = r.settings.map(([k, v]) => `${e(k)} ${code(v)}`).join(' · ');
  return [
    `<h1>${e(r.title)}</h1>`,
    `<p class="lead">${t.objects} objects from ${inputs}${settings ? `<br>${settings}` : ''}</p>`,
    '<div class="cards">',
    card('errors', t.errors, t.errors ? 'bad' : 'good'),
    card('warnings', t.warnings, t.warnings ? 'warn' : 'good'),
    card('exempted', t.exempted),
    card('open to all', t.openToAll, t.openToAll ? 'bad' : 'good'),
    card('workloads', t.workloads),
    card('connections', t.connections),
    ...(t.inputErrors ? [card('input errors', t.inputErrors, 'bad')] : []),
    '</div>',
  ].join('\n');
}

function inputErrors(r: PostureReport): string {
  if (r.inputErrors.length === 0) return '';
  const items = r.inputErrors.map((x) => `<li>${code(formatInputError(x))}</li>`).join('\n');
  return `<h2 id="input-errors">Input errors</h2>\n<p>These inputs could not be read; the report covers the rest.</p>\n<ul>\n${items}\n</ul>`;
}

function rulesTable(r: PostureReport): string {
  if (r.rules.length === 0) {
    return `<p>${badge('ok', 'clean')} No finding from the ${r.totals.rulesRun} rules that ran.</p>`;
  }
  const rows = r.rules.map(
    (s) =>
      `<tr><td>${badge(s.severity)}</td><td><a href="#rule-${e(s.id)}">${code(s.id)}</a><br>${e(s.title)}</td>` +
      `<td>${e(s.group)}</td><td class="num">${s.findings.length}</td><td class="num">${s.exempted.length}</td></tr>`,
  );
  const total = `<tr class="total"><td colspan="3">${r.rules.length} of ${r.totals.rulesRun} rules</td><td class="num">${
    r.totals.errors + r.totals.warnings
  }</td><td class="num">${r.totals.exempted}</td></tr>`;
  return (
    '<table><thead><tr><th>Severity</th><th>Rule</th><th>Group</th><th class="num">Findings</th><th class="num">Exempted</th></tr></thead><tbody>\n' +
    `${rows.join('\n')}\n${total}\n</tbody></table>`
  );
}

function ruleDetails(s: RuleSection): string {
  const rows = s.findings.map(
    (f) =>
      `<tr><td>${code(formatFindingObject(f))}</td><td>${e(f.message)}${f.path ? `<br><span class="muted">${code(f.path)}</span>` : ''}</td>` +
      `<td>${formatSource(f) ? code(formatSource(f)) : ''}</td></tr>`,
  );
  const exempted = s.exempted.length ? `<p class="muted">${s.exempted.length} more exempted (see Exemptions).</p>` : '';
  const table = rows.length
    ? '<table class="fixed"><colgroup><col class="object"><col><col class="source"></colgroup>' +
      `<thead><tr><th>Object</th><th>Finding</th><th>Source</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
    : '';
  return [
    `<h3 id="rule-${e(s.id)}">${badge(s.severity)} ${code(s.id)} ${e(s.title)}</h3>`,
    `<p><strong>Fix:</strong> ${e(s.remediation)}</p>`,
    table,
    exempted,
  ]
    .filter(Boolean)
    .join('\n');
}

function exemptionsTable(r: PostureReport): string {
  if (r.exemptions.length === 0) return '<p class="muted">No exemption.</p>';
  const rows = r.exemptions.map(
    (x) =>
      `<tr><td>${code(formatFindingObject(x))}</td><td>${code(x.ruleId)}</td><td>${e(x.reason)}</td>` +
      `<td>${x.grant ? e(`by ${x.grant.approver} until ${x.grant.expires}`) : 'no: annotation only'}</td>` +
      `<td>${formatSource(x) ? code(formatSource(x)) : ''}</td></tr>`,
  );
  return (
    '<table class="fixed"><colgroup><col class="object"><col class="rule"><col><col><col class="source"></colgroup>' +
    `<thead><tr><th>Object</th><th>Rule</th><th>Reason</th><th>Granted</th><th>Source</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
  );
}

function namespacesTable(r: PostureReport): string {
  const rows = r.namespaces.map((n) => {
    const isolation = (count: number) => (n.workloads ? `${count} / ${n.workloads}` : '<span class="muted">—</span>');
    return (
      `<tr><td>${code(n.name)}</td><td class="num">${n.objects}</td><td class="num">${n.workloads}</td>` +
      `<td class="num">${n.errors ? badge('error', String(n.errors)) : 0}</td>` +
      `<td class="num">${n.warnings ? badge('warning', String(n.warnings)) : 0}</td>` +
      `<td class="num">${n.exempted ? badge('exempted', String(n.exempted)) : 0}</td>` +
      `<td class="num">${isolation(n.ingressIsolated)}</td><td class="num">${isolation(n.egressIsolated)}</td>` +
      `<td class="num">${n.openToAll ? badge('open', String(n.openToAll)) : 0}</td></tr>`
    );
  });
  return (
    '<table><thead><tr><th>Namespace</th><th class="num">Objects</th><th class="num">Workloads</th><th class="num">Errors</th>' +
    '<th class="num">Warnings</th><th class="num">Exempted</th><th class="num">Ingress isolated</th>' +
    '<th class="num">Egress isolated</th><th class="num">Open to all</th></tr></thead><tbody>\n' +
    `${rows.join('\n')}\n</tbody></table>`
  );
}

/** The posture report as one self-contained HTML page (inline CSS, the network graph as inline SVG, no script). */
export function renderReportHtml(r: PostureReport): string {
  const body = [
    header(r),
    inputErrors(r),
    '<h2 id="findings">Findings by rule</h2>',
    rulesTable(r),
    ...r.rules.filter((s) => s.findings.length > 0).map(ruleDetails),
    '<h2 id="exemptions">Exemptions</h2>',
    '<p class="lead">Findings waived with the annotation <code>exempt.bulwark.dev/&lt;rule-id&gt;: &lt;reason&gt;</code>. An exemption counts in the cluster only when the platform team grants it (ExemptionGrantSet).</p>',
    exemptionsTable(r),
    `<p class="muted">Namespaces the admission policies leave out (nothing there is checked in the cluster): ${r.admissionExcludedNamespaces.map((n) => code(n)).join(', ')}.</p>`,
    '<h2 id="namespaces">Namespaces</h2>',
    namespacesTable(r),
    '<h2 id="network">Network</h2>',
    '<p class="lead">Who can reach whom under the NetworkPolicies of the input. Hover a node or an edge for details.</p>',
    graphFigureHtml(r.graph),
    '<h3>Adjacency</h3>',
    adjacencyHtml(r.graph),
    '<h3>Open to all</h3>',
    openWorkloadsHtml(r.graph),
    `<details><summary>All ${r.graph.connections.length} connections</summary>`,
    connectionsHtml(r.graph),
    '</details>',
    `<footer>Generated by bulwark from ${r.files.length} input file${r.files.length === 1 ? '' : 's'}. This page is self-contained: no script, no external resource.</footer>`,
  ]
    .filter(Boolean)
    .join('\n');
  return htmlPage(r.title, body);
}
