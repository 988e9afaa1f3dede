import { escapeXml } from './escape-xml';
import { EdgeStyle } from './graph-presentation';
import { FONT_SIZE, GraphLayout, layoutGraph, LayoutNode, num } from './graph-layout';
import { NetworkGraph, openWorkloads } from './reachability';

const FONT_FAMILY = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

/** Stroke colour and dash pattern of each edge style (the legend shows them all). */
const EDGE_STYLES: Record<EdgeStyle, { readonly color: string; readonly dash?: string; readonly legend: string }> = {
  local: { color: '#334155', legend: 'within a namespace' },
  'cross-namespace': { color: '#6d28d9', legend: 'across namespaces' },
  anywhere: { color: '#dc2626', dash: '7 4', legend: 'to or from anywhere (unrestricted)' },
  cidr: { color: '#c2410c', dash: '2 3', legend: 'to or from an address range (ipBlock)' },
  'outside-pods': { color: '#71717a', dash: '6 4', legend: 'pods of a namespace not in the input' },
};
const STYLE_ORDER: readonly EdgeStyle[] = ['local', 'cross-namespace', 'anywhere', 'cidr', 'outside-pods'];

/** Class names carry a `bw-` prefix so that the SVG can sit inline in an HTML page without clashing. */
const STYLE = [
  '.bw-bg{fill:#ffffff}',
  '.bw-title{font-size:16px;font-weight:700;fill:#111827}',
  '.bw-subtitle{fill:#4b5563}',
  '.bw-box{fill:#f8fafc;stroke:#94a3b8;stroke-width:1}',
  '.bw-box-title{font-weight:700;fill:#334155}',
  '.bw-node rect{fill:#e0f2fe;stroke:#0369a1;stroke-width:1.2}',
  '.bw-node-outside rect{fill:#f4f4f5;stroke:#71717a;stroke-width:1;stroke-dasharray:4 3}',
  '.bw-node-open rect{fill:#fdecea;stroke:#c62828;stroke-width:2.5}',
  '.bw-node-host rect{fill:#fef3c7;stroke:#b45309;stroke-width:2.5}',
  '.bw-node text{fill:#0f172a}',
  '.bw-node .bw-kind{fill:#475569;font-size:11px}',
  '.bw-node .bw-warn{fill:#b91c1c;font-weight:700;font-size:11px}',
  '.bw-edge path{fill:none;stroke-width:1.4}',
  ...STYLE_ORDER.map(
    (s) =>
      `.bw-edge-${s} path{stroke:${EDGE_STYLES[s].color}${EDGE_STYLES[s].dash ? `;stroke-dasharray:${EDGE_STYLES[s].dash}` : ''}}`,
  ),
  '.bw-label rect{fill:#ffffff;stroke:#cbd5e1;stroke-width:0.8}',
  '.bw-label text{fill:#1f2937;font-size:11px}',
  '.bw-note{fill:#374151}',
  '.bw-note-warn{fill:#b91c1c}',
  '.bw-legend text{fill:#374151}',
].join('\n');

function tag(name: string, attrs: Record<string, string | number>, body?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`)
    .join('');
  return body === undefined ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}

function summaryLine(graph: NetworkGraph): string {
  const open = openWorkloads(graph).length;
  const plural = (n: number, s: string) => `${n} ${s}${n === 1 ? '' : 's'}`;
  return `${plural(graph.workloads.length, 'workload')} · ${plural(graph.connections.length, 'connection')} · ${open} open to all`;
}

function markers(): string {
  return (
    '<defs>' +
    STYLE_ORDER.map(
      (s) =>
        `<marker id="bw-arrow-${s}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${EDGE_STYLES[s].color}"/></marker>`,
    ).join('') +
    '</defs>'
  );
}

function nodeClass(n: LayoutNode): string {
  if (n.kind === 'outside') return 'bw-node bw-node-outside';
  if (n.hostNetwork) return 'bw-node bw-node-host';
  return n.open || n.findings > 0 ? 'bw-node bw-node-open' : 'bw-node';
}

function renderNode(n: LayoutNode): string {
  const textTop = n.y + (n.h - 16 * n.lines.length) / 2;
  const texts = n.lines
    .map((line, i) => {
      const isFinding = i >= n.lines.length - n.findings;
      const lineClass = i === 0 ? undefined : isFinding ? 'bw-warn' : 'bw-kind';
      return tag(
        'text',
        { ...(lineClass ? { class: lineClass } : { 'font-weight': '700' }), x: n.x + 12, y: textTop + 16 * i + 12 },
        escapeXml(line),
      );
    })
    .join('');
  return tag(
    'g',
    { class: nodeClass(n), 'data-key': n.key },
    tag('title', {}, escapeXml(n.tooltip)) + tag('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: 6 }) + texts,
  );
}

function legend(y: number): string {
  const items: string[] = [];
  STYLE_ORDER.forEach((s, i) => {
    const x = 24 + (i % 2) * 380;
    const ly = y + Math.floor(i / 2) * 20;
    items.push(
      tag('path', {
        d: `M${x},${num(ly + 8)} H${x + 56}`,
        stroke: EDGE_STYLES[s].color,
        'stroke-width': 1.4,
        ...(EDGE_STYLES[s].dash ? { 'stroke-dasharray': EDGE_STYLES[s].dash } : {}),
        'marker-end': `url(#bw-arrow-${s})`,
      }),
      tag('text', { x: x + 68, y: ly + 12 }, escapeXml(EDGE_STYLES[s].legend)),
    );
  });
  const ny = y + 60;
  items.push(
    tag('rect', {
      x: 24,
      y: ny,
      width: 40,
      height: 16,
      rx: 4,
      fill: '#fdecea',
      stroke: '#c62828',
      'stroke-width': 2.5,
    }),
    tag('text', { x: 72, y: ny + 12 }, 'finding: open to all, egress open or no NetworkPolicy (see the box)'),
    tag('rect', {
      x: 560,
      y: ny,
      width: 40,
      height: 16,
      rx: 4,
      fill: '#fef3c7',
      stroke: '#b45309',
      'stroke-width': 2.5,
    }),
    tag('text', { x: 648, y: ny + 12 }, 'host network: NetworkPolicies do not apply'),
  );
  return tag('g', { class: 'bw-legend' }, items.join(''));
}

function renderLayout(graph: NetworkGraph, layout: GraphLayout, title: string): string {
  const out: string[] = [];
  const heading = `${title}: ${summaryLine(graph)}`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT_SIZE}" role="img" aria-label="${escapeXml(heading)}">`,
  );
  out.push(tag('title', {}, escapeXml(heading)));
  out.push(`<style>\n${STYLE}\n</style>`);
  out.push(markers());
  out.push(tag('rect', { class: 'bw-bg', x: 0, y: 0, width: layout.width, height: layout.height }));
  out.push(tag('text', { class: 'bw-title', x: 24, y: layout.titleY }, escapeXml(title)));
  out.push(tag('text', { class: 'bw-subtitle', x: 24, y: layout.titleY + 18 }, escapeXml(summaryLine(graph))));
  for (const b of layout.boxes) {
    out.push(
      tag(
        'g',
        { class: 'bw-ns' },
        tag('title', {}, escapeXml(`namespace ${b.name}`)) +
          tag('rect', { class: 'bw-box', x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }) +
          tag('text', { class: 'bw-box-title', x: b.x + 12, y: b.y + 16 }, escapeXml(b.title)),
      ),
    );
  }
  layout.edges.forEach((e, i) => {
    out.push(
      tag(
        'g',
        { class: `bw-edge bw-edge-${e.style}`, 'data-edge': i },
        tag('title', {}, escapeXml(e.tooltip)) + tag('path', { d: e.path, 'marker-end': `url(#bw-arrow-${e.style})` }),
      ),
    );
  });
  for (const n of layout.nodes) out.push(renderNode(n));
  layout.edges.forEach((e, i) => {
    out.push(
      tag(
        'g',
        { class: 'bw-label', 'data-edge': i },
        tag('title', {}, escapeXml(e.tooltip)) +
          tag('rect', { x: e.labelX - e.labelW / 2, y: e.labelY - 8, width: e.labelW, height: 16, rx: 3 }) +
          tag('text', { x: e.labelX, y: e.labelY + 4, 'text-anchor': 'middle' }, escapeXml(e.label)),
      ),
    );
  });
  layout.notes.forEach((note, i) => {
    const cls = note.startsWith('⚠') ? 'bw-note bw-note-warn' : 'bw-note';
    out.push(tag('text', { class: cls, x: 24, y: layout.notesY + 18 * i + 12 }, escapeXml(note)));
  });
  out.push(legend(layout.legendY));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The graph as a self-contained SVG (no scripts, fonts or links): deterministic, to the byte. */
export function renderSvg(graph: NetworkGraph, title = 'Network reachability'): string {
  return renderLayout(graph, layoutGraph(graph), title);
}
