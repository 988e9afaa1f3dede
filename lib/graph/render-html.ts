import { escapeXml } from './escape-xml';
import { htmlPage } from './html-page';
import { formatPorts } from './port-set';
import { NetworkGraph, openWorkloads } from './reachability';
import { renderSvg } from './render-svg';

/** `ns/name` for a workload, the label for an outside node. */
export function nodeName(graph: NetworkGraph, id: string): string {
  const w = graph.workloads.find((x) => x.id === id);
  if (w) return `${w.namespace}/${w.name}`;
  const o = graph.outside.find((x) => x.id === id);
  return o ? `${o.label} (outside)` : id;
}

function list(items: readonly string[]): string {
  return items.length ? items.map((i) => `<code>${escapeXml(i)}</code>`).join('<br>') : '<span class="muted">—</span>';
}

/** The workloads open to all, with why: a list, or a line saying there are none. */
export function openWorkloadsHtml(graph: NetworkGraph): string {
  const open = openWorkloads(graph);
  if (open.length === 0) {
    return '<p><span class="badge ok">none</span> No workload is open to all: every one restricts who may connect.</p>';
  }
  const rows = open.map(
    (w) =>
      `<tr><td><code>${escapeXml(`${w.namespace}/${w.name}`)}</code><br><span class="muted">${escapeXml(w.kind)}</span></td>` +
      `<td><ul class="reasons">${w.openToAll.map((r) => `<li>${escapeXml(r)}</li>`).join('')}</ul></td></tr>`,
  );
  return `<table><thead><tr><th>Workload</th><th>Why any pod or address may connect</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** Every connection: from, to, ports, and the rules allowing it at each end. */
export function connectionsHtml(graph: NetworkGraph): string {
  if (graph.connections.length === 0) return '<p class="muted">No connection is allowed.</p>';
  const rows = graph.connections.map(
    (c) =>
      `<tr><td><code>${escapeXml(nodeName(graph, c.from))}</code></td><td><code>${escapeXml(nodeName(graph, c.to))}</code></td>` +
      `<td><code>${escapeXml(formatPorts(c.ports))}</code></td><td>${list(c.egress)}</td><td>${list(c.ingress)}</td></tr>`,
  );
  return (
    '<table><thead><tr><th>From</th><th>To</th><th>Ports</th><th>Egress allowed by</th><th>Ingress allowed by</th></tr></thead><tbody>\n' +
    `${rows.join('\n')}\n</tbody></table>`
  );
}

/**
 * The adjacency of the workloads as a table beside the picture: one row per workload that may open connections, with
 * every destination and its ports (workloads of the input first, then outside nodes), and whether its egress is open.
 */
export function adjacencyHtml(graph: NetworkGraph): string {
  const rows = graph.workloads.map((w) => {
    const out = graph.connections.filter((c) => c.from === w.id);
    const cells = out.map(
      (c) =>
        `<code>${escapeXml(nodeName(graph, c.to))}</code> <span class="muted">${escapeXml(formatPorts(c.ports))}</span>`,
    );
    const into = graph.connections.filter((c) => c.to === w.id).length;
    return (
      `<tr><td><code>${escapeXml(`${w.namespace}/${w.name}`)}</code></td><td class="num">${into}</td>` +
      `<td>${cells.length ? cells.join('<br>') : '<span class="muted">—</span>'}</td></tr>`
    );
  });
  if (rows.length === 0) return '<p class="muted">No workload in the input.</p>';
  return (
    '<table><thead><tr><th>From</th><th class="num">In</th><th>To (ports)</th></tr></thead><tbody>\n' +
    `${rows.join('\n')}\n</tbody></table>`
  );
}

/** The SVG inside a scrollable frame. */
export function graphFigureHtml(graph: NetworkGraph): string {
  return `<div class="graph">\n${renderSvg(graph)}</div>`;
}

/** The graph as a self-contained HTML page: the SVG, the workloads open to all and the table of connections. */
export function renderGraphHtml(graph: NetworkGraph, files: readonly string[] = []): string {
  const from = files.length ? ` from ${files.map((f) => `<code>${escapeXml(f)}</code>`).join(', ')}` : '';
  const body = [
    '<h1>Network reachability</h1>',
    `<p class="lead">Who can reach whom under the NetworkPolicies${from}. Hover a node or an edge for details.</p>`,
    graphFigureHtml(graph),
    '<h2>Adjacency</h2>',
    adjacencyHtml(graph),
    '<h2>Open to all</h2>',
    openWorkloadsHtml(graph),
    '<h2>Connections</h2>',
    connectionsHtml(graph),
  ].join('\n');
  return htmlPage('bulwark: network reachability', body);
}
