import type * as Dagre from '@dagrejs/dagre' with { 'resolution-mode': 'import' };
import {
  commonConnectionText,
  EdgeStyle,
  edgeStyle,
  presentGraph,
  Presentation,
  workloadFindings,
} from './graph-presentation';
import { formatPorts } from './port-set';
import { Connection, NetworkGraph, OutsideNode, Workload } from './reachability';

/**
 * A layered layout of a NetworkGraph by dagre (Sugiyama-style, as Graphviz's dot): traffic flows left to right, so
 * entry points come first; namespaces are clusters; each edge label is a node of the layered graph placed on its
 * edge, so labels never overlap boxes or each other and always sit on the line they name. Computed without a browser:
 * text is measured as monospace (CHAR_WIDTH per character), which is what the SVG uses.
 */

// dagre ships an ES module with a CommonJS build beside it (its `require` export); bulwark is CommonJS, so it loads
// that build and takes the ES module's types for it.
const dagre: typeof Dagre = require('@dagrejs/dagre');

export const FONT_SIZE = 12;
export const CHAR_WIDTH = 7.3;
const LINE_HEIGHT = 16;
const NODE_PAD_Y = 8;
const NODE_PAD_X = 12;
const NODE_MIN_WIDTH = 120;
const LABEL_HEIGHT = 16;
const LABEL_PAD_X = 6;
const LABEL_MAX_CHARS = 32;
const NODE_MAX_CHARS = 40;
const MARGIN = 24;
const TITLE_HEIGHT = 52;
const NOTE_LINE = 18;
const LEGEND_LINE = 20;
const MIN_WIDTH = 640;
/** Space between nodes of one rank; half of it is the room above a namespace's first node, where its title goes. */
const NODE_SEP = 44;
const RANK_SEP = 72;
const EDGE_SEP = 14;

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LayoutNode {
  /** Unique in the layout: the graph node id, suffixed `@in`/`@out` for outside nodes (drawn once per role). */
  readonly key: string;
  readonly id: string;
  readonly kind: 'workload' | 'outside';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Text lines: name, then kind for workloads, then its findings (`⚠ …`). */
  readonly lines: readonly string[];
  /** How many of the last lines are findings. */
  readonly findings: number;
  readonly open: boolean;
  readonly hostNetwork: boolean;
  /** Tooltip text. */
  readonly tooltip: string;
}

export interface LayoutBox {
  /** The namespace name as drawn (shortened with `…` when the box is narrower than the name). */
  readonly title: string;
  readonly name: string;
  readonly kind: 'namespace';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
  readonly style: EdgeStyle;
  /** The polyline dagre routed, through the label's centre. */
  readonly points: readonly Point[];
  /** SVG path data of `points`. */
  readonly path: string;
  readonly label: string;
  /** Centre of the label. */
  readonly labelX: number;
  readonly labelY: number;
  readonly labelW: number;
  readonly tooltip: string;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly titleY: number;
  /** Lines under the picture: connections drawn once for all, selectors that match nothing. */
  readonly notes: readonly string[];
  readonly notesY: number;
  readonly legendY: number;
  readonly boxes: readonly LayoutBox[];
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
}

export function textWidth(text: string): number {
  return [...text].length * CHAR_WIDTH;
}

/** Shortens text to `max` characters with a trailing `…`. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Numbers as SVG writes them: at most one decimal, no `-0`. */
export function num(value: number): string {
  const r = Math.round(value * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
}

function workloadTooltip(w: Workload): string {
  const labels = Object.entries(w.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `${w.kind} ${w.namespace}/${w.name}`,
    `labels: ${labels || '(none)'}`,
    w.hostNetwork
      ? 'hostNetwork: NetworkPolicies do not apply to it'
      : `ingress: ${w.ingressIsolated ? 'isolated' : 'not isolated'}, egress: ${w.egressIsolated ? 'isolated' : 'not isolated'}`,
    ...w.openToAll.map((r) => `open to all: ${r}`),
  ].join('\n');
}

function edgeTooltip(c: Connection, name: (id: string) => string): string {
  const lines = [`${name(c.from)} → ${name(c.to)}: ${formatPorts(c.ports)}`];
  if (c.egress.length) lines.push(`egress allowed by: ${c.egress.join(', ')}`);
  if (c.ingress.length) lines.push(`ingress allowed by: ${c.ingress.join(', ')}`);
  return lines.join('\n');
}

interface Draft {
  readonly key: string;
  readonly id: string;
  readonly kind: 'workload' | 'outside';
  readonly lines: string[];
  readonly findings: number;
  readonly open: boolean;
  readonly hostNetwork: boolean;
  readonly tooltip: string;
  readonly parent?: string;
}

function nodeSize(lines: readonly string[]): { width: number; height: number } {
  const width = Math.max(NODE_MIN_WIDTH, ...lines.map((l) => textWidth(l) + 2 * NODE_PAD_X));
  return { width: Math.ceil(width), height: lines.length * LINE_HEIGHT + 2 * NODE_PAD_Y };
}

function drafts(graph: NetworkGraph, shown: Presentation): Draft[] {
  const out: Draft[] = [];
  for (const w of graph.workloads) {
    const findings = workloadFindings(w);
    out.push({
      key: w.id,
      id: w.id,
      kind: 'workload',
      lines: [clip(w.name, NODE_MAX_CHARS), w.kind, ...findings],
      findings: findings.length,
      open: w.openToAll.length > 0,
      hostNetwork: w.hostNetwork,
      tooltip: workloadTooltip(w),
      parent: `ns:${w.namespace}`,
    });
  }
  const outside = new Map(graph.outside.map((o) => [o.id, o]));
  const roles = new Map<string, OutsideNode>();
  for (const c of shown.connections) {
    if (outside.has(c.from)) roles.set(`${c.from}@in`, outside.get(c.from) as OutsideNode);
    if (outside.has(c.to)) roles.set(`${c.to}@out`, outside.get(c.to) as OutsideNode);
  }
  for (const o of graph.outside) {
    for (const role of ['in', 'out']) {
      if (!roles.has(`${o.id}@${role}`)) continue;
      out.push({
        key: `${o.id}@${role}`,
        id: o.id,
        kind: 'outside',
        lines: [clip(o.label, NODE_MAX_CHARS)],
        findings: 0,
        open: false,
        hostNetwork: false,
        tooltip: `outside the input: ${o.label}`,
      });
    }
  }
  return out;
}

/** Computes where everything goes. Same graph, same layout, to the character. */
export function layoutGraph(graph: NetworkGraph): GraphLayout {
  const workloadById = new Map(graph.workloads.map((w) => [w.id, w]));
  const outsideById = new Map(graph.outside.map((o) => [o.id, o]));
  const name = (id: string) => {
    const w = workloadById.get(id);
    return w ? `${w.namespace}/${w.name}` : (outsideById.get(id)?.label ?? id);
  };
  const shown = presentGraph(graph);
  const nodes = drafts(graph, shown);

  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: NODE_SEP, ranksep: RANK_SEP, edgesep: EDGE_SEP, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const ns of [...new Set(graph.workloads.map((w) => w.namespace))]) g.setNode(`ns:${ns}`, {});
  for (const n of nodes) {
    g.setNode(n.key, nodeSize(n.lines));
    if (n.parent) g.setParent(n.key, n.parent);
  }
  const keyOf = (id: string, role: 'in' | 'out') => (outsideById.has(id) ? `${id}@${role}` : id);
  const labels = new Map<string, string>();
  for (const c of shown.connections) {
    const label = clip(formatPorts(c.ports), LABEL_MAX_CHARS);
    labels.set(`${c.from}\u0000${c.to}`, label);
    // An edge across namespaces spans at least one more rank, so it leaves through a slot of its own in the column
    // between: a steep last segment then crosses only the gap between two columns, never another workload's box.
    const crossing = edgeStyle(c, workloadById, outsideById) === 'cross-namespace';
    g.setEdge(keyOf(c.from, 'in'), keyOf(c.to, 'out'), {
      width: Math.ceil(textWidth(label) + 2 * LABEL_PAD_X),
      height: LABEL_HEIGHT,
      labelpos: 'c',
      minlen: crossing ? 2 : 1,
    });
  }
  dagre.layout(g);

  const graphInfo = g.graph();
  const dx = MARGIN;
  const dy = TITLE_HEIGHT;
  const at = (p: { x: number; y: number }): Point => ({ x: p.x + dx, y: p.y + dy });

  const boxes: LayoutBox[] = [];
  for (const ns of [...new Set(graph.workloads.map((w) => w.namespace))]) {
    const b = g.node(`ns:${ns}`);
    const w = b.width;
    const title = clip(`namespace ${ns}`, Math.max(4, Math.floor((w - 2 * NODE_PAD_X) / CHAR_WIDTH)));
    boxes.push({ title, name: ns, kind: 'namespace', x: b.x - w / 2 + dx, y: b.y - b.height / 2 + dy, w, h: b.height });
  }
  const laidNodes: LayoutNode[] = nodes.map((n) => {
    const p = g.node(n.key);
    return {
      key: n.key,
      id: n.id,
      kind: n.kind,
      x: p.x - p.width / 2 + dx,
      y: p.y - p.height / 2 + dy,
      w: p.width,
      h: p.height,
      lines: n.lines,
      findings: n.findings,
      open: n.open,
      hostNetwork: n.hostNetwork,
      tooltip: n.tooltip,
    };
  });
  const edges: LayoutEdge[] = shown.connections.map((c) => {
    const e = g.edge(keyOf(c.from, 'in'), keyOf(c.to, 'out'));
    const points = (e.points ?? []).map(at);
    const label = labels.get(`${c.from}\u0000${c.to}`) ?? '';
    return {
      from: c.from,
      to: c.to,
      style: edgeStyle(c, workloadById, outsideById),
      points,
      path: points.map((p: Point, i: number) => `${i === 0 ? 'M' : 'L'}${num(p.x)},${num(p.y)}`).join(' '),
      label,
      labelX: (e.x ?? 0) + dx,
      labelY: (e.y ?? 0) + dy,
      labelW: e.width ?? 0,
      tooltip: edgeTooltip(c, name),
    };
  });

  const notes = [
    ...shown.common.map((c) => `drawn once for all: ${commonConnectionText(c)}`),
    ...graph.unmatchedSelectors.map(
      (s) => `⚠ selector matches no workload: ${s.policy} ${s.where} (${s.selector}): what it allows is dead`,
    ),
  ];
  const graphBottom = dy + (graphInfo.height ?? 0);
  const notesY = graphBottom + MARGIN;
  const legendY = notesY + notes.length * NOTE_LINE + (notes.length ? 12 : 0);
  const contentWidth = Math.max(
    (graphInfo.width ?? 0) + 2 * MARGIN,
    ...notes.map((n) => textWidth(n) + 2 * MARGIN),
    MIN_WIDTH,
  );
  return {
    width: Math.ceil(contentWidth),
    height: Math.ceil(legendY + LEGEND_ROWS * LEGEND_LINE + MARGIN),
    titleY: 28,
    notes,
    notesY,
    legendY,
    boxes,
    nodes: laidNodes,
    edges,
  };
}

/** Rows the SVG's legend takes (edge styles and node findings). */
export const LEGEND_ROWS = 4;
