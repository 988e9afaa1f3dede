import { escapeXml } from './escape-xml';
import { FONT_SIZE, GraphLayout, layoutGraph, num } from './graph-layout';
import { NetworkGraph, openWorkloads } from './reachability';

const FONT_FAMILY = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

/** Class names carry a `bw-` prefix so that the SVG can sit inline in an HTML page without clashing. */
const STYLE = [
  '.bw-bg{fill:#ffffff}',
  '.bw-title{font-size:16px;font-weight:700;fill:#111827}',
  '.bw-subtitle{fill:#4b5563}',
  '.bw-box{fill:#f8fafc;stroke:#94a3b8;stroke-width:1}',
  '.bw-box-outside{fill:#fafafa;stroke:#a1a1aa;stroke-width:1;stroke-dasharray:5 4}',
  '.bw-box-title{font-weight:700;fill:#334155}',
  '.bw-node rect{fill:#e0f2fe;stroke:#0369a1;stroke-width:1.2}',
  '.bw-node-outside rect{fill:#f4f4f5;stroke:#71717a;stroke-width:1;stroke-dasharray:4 3}',
  '.bw-node-open rect{fill:#fdecea;stroke:#c62828;stroke-width:2.5}',
  '.bw-node text{fill:#0f172a}',
  '.bw-node .bw-kind{fill:#475569;font-size:11px}',
  '.bw-node .bw-warn{fill:#b91c1c;font-weight:700}',
  '.bw-edge path{fill:none;stroke:#334155;stroke-width:1.4}',
  '.bw-edge-outside path{stroke:#71717a;stroke-dasharray:6 4}',
  '.bw-label rect{fill:#ffffff;fill-opacity:0.92;stroke:#cbd5e1;stroke-width:0.8}',
  '.bw-label text{fill:#1f2937;font-size:11px}',
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

function renderLayout(graph: NetworkGraph, layout: GraphLayout, title: string): string {
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT_SIZE}" role="img" aria-label="${escapeXml(`${title}: ${summaryLine(graph)}`)}">`,
  );
  out.push(tag('title', {}, escapeXml(`${title}: ${summaryLine(graph)}`)));
  out.push(`<style>\n${STYLE}\n</style>`);
  out.push(
    '<defs>' +
      '<marker id="bw-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#334155"/></marker>' +
      '<marker id="bw-arrow-outside" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#71717a"/></marker>' +
      '</defs>',
  );
  out.push(tag('rect', { class: 'bw-bg', x: 0, y: 0, width: layout.width, height: layout.height }));
  out.push(tag('text', { class: 'bw-title', x: 24, y: layout.titleY }, escapeXml(title)));
  out.push(tag('text', { class: 'bw-subtitle', x: 24, y: layout.titleY + 20 }, escapeXml(summaryLine(graph))));

  for (const b of layout.boxes) {
    out.push(
      tag(
        'g',
        {},
        tag('rect', {
          class: b.kind === 'outside' ? 'bw-box-outside' : 'bw-box',
          x: b.x,
          y: b.y,
          width: b.w,
          height: b.h,
          rx: 8,
        }) + tag('text', { class: 'bw-box-title', x: b.x + 12, y: b.y + 18 }, escapeXml(b.title)),
      ),
    );
  }
  for (const e of layout.edges) {
    out.push(
      tag(
        'g',
        { class: e.outside ? 'bw-edge bw-edge-outside' : 'bw-edge' },
        tag('title', {}, escapeXml(e.tooltip)) +
          tag('path', { d: e.path, 'marker-end': e.outside ? 'url(#bw-arrow-outside)' : 'url(#bw-arrow)' }),
      ),
    );
  }
  for (const n of layout.nodes) {
    const cls = n.kind === 'outside' ? 'bw-node bw-node-outside' : n.open ? 'bw-node bw-node-open' : 'bw-node';
    const textTop = n.y + (n.h - 16 * n.lines.length) / 2; // centred: a node grows with the edges it has
    const texts = n.lines
      .map((line, i) => {
        const lineClass = i === 0 ? undefined : n.open && i === n.lines.length - 1 ? 'bw-warn' : 'bw-kind';
        return tag(
          'text',
          { ...(lineClass ? { class: lineClass } : { 'font-weight': '700' }), x: n.x + 12, y: textTop + 16 * i + 12 },
          escapeXml(line),
        );
      })
      .join('');
    out.push(
      tag(
        'g',
        { class: cls },
        tag('title', {}, escapeXml(n.tooltip)) +
          tag('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: 6 }) +
          texts,
      ),
    );
  }
  for (const e of layout.edges) {
    out.push(
      tag(
        'g',
        { class: 'bw-label' },
        tag('rect', { x: e.labelX - e.labelW / 2, y: e.labelY - 8, width: e.labelW, height: 16, rx: 3 }) +
          tag('text', { x: e.labelX, y: e.labelY + 4, 'text-anchor': 'middle' }, escapeXml(e.label)),
      ),
    );
  }
  const ly = layout.legendY;
  out.push(
    tag(
      'g',
      { class: 'bw-legend' },
      [
        tag('path', {
          d: `M24,${num(ly + 8)} H84`,
          stroke: '#334155',
          'stroke-width': 1.4,
          'marker-end': 'url(#bw-arrow)',
        }),
        tag('text', { x: 96, y: ly + 12 }, 'allowed by the egress of the source and the ingress of the destination'),
        tag('path', {
          d: `M24,${num(ly + 30)} H84`,
          stroke: '#71717a',
          'stroke-width': 1.4,
          'stroke-dasharray': '6 4',
          'marker-end': 'url(#bw-arrow-outside)',
        }),
        tag('text', { x: 96, y: ly + 34 }, 'one end outside the input: only the policies of the other end are known'),
        tag('rect', {
          x: 34,
          y: ly + 44,
          width: 40,
          height: 16,
          rx: 4,
          fill: '#fdecea',
          stroke: '#c62828',
          'stroke-width': 2.5,
        }),
        tag('text', { x: 96, y: ly + 56 }, 'open to all: any pod or address may connect (see its tooltip for why)'),
      ].join(''),
    ),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The graph as a self-contained SVG (no scripts, fonts or links): deterministic, to the byte. */
export function renderSvg(graph: NetworkGraph, title = 'Network reachability'): string {
  return renderLayout(graph, layoutGraph(graph), title);
}
