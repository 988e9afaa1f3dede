import { formatPorts } from './port-set';
import { Connection, NetworkGraph } from './reachability';

/**
 * A deterministic layered layout of a NetworkGraph, computed without a browser: namespaces are ranked so that traffic
 * mostly flows left to right (cycles broken in name order), namespaces of one rank are stacked in one column, outside
 * sources get a column on the left and outside destinations one on the right. Text is measured as monospace
 * (CHAR_WIDTH per character), which is what the SVG uses.
 */

export const FONT_SIZE = 12;
export const CHAR_WIDTH = 7.3;
const LINE_HEIGHT = 16;
const NODE_PAD_Y = 10;
const NODE_PAD_X = 12;
const NODE_MIN_WIDTH = 120;
const NODE_GAP = 16;
const BOX_PAD = 14;
const BOX_TITLE = 24;
const BOX_GAP = 24;
const MARGIN = 24;
const TITLE_HEIGHT = 44;
const LEGEND_HEIGHT = 76;
const LABEL_HEIGHT = 16;
const MIN_WIDTH = 560;
const ATTACH_SPACING = 12;
const LANE_TOP = 22;
const LANE_SPACING = 20;

export interface LayoutNode {
  /** Unique in the layout: the graph node id, suffixed `@in`/`@out` for outside nodes (drawn once per role). */
  readonly key: string;
  readonly id: string;
  readonly kind: 'workload' | 'outside';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Text lines: name, then kind for workloads; an extra warning line when open to all. */
  readonly lines: readonly string[];
  readonly open: boolean;
  /** Tooltip text. */
  readonly tooltip: string;
}

export interface LayoutBox {
  readonly title: string;
  readonly kind: 'namespace' | 'outside';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
  /** SVG path data: one cubic Bézier. */
  readonly path: string;
  readonly label: string;
  /** Centre of the label. */
  readonly labelX: number;
  readonly labelY: number;
  readonly labelW: number;
  readonly outside: boolean;
  readonly tooltip: string;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly titleY: number;
  readonly legendY: number;
  readonly boxes: readonly LayoutBox[];
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
}

export function textWidth(text: string): number {
  return [...text].length * CHAR_WIDTH;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ranks namespaces by the longest path over inter-namespace traffic, cycles broken by a DFS in name order. */
function rankNamespaces(
  names: readonly string[],
  links: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, number> {
  const indegree = new Map(names.map((n) => [n, 0]));
  for (const [, targets] of links) for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  const roots = [...names].sort((a, b) => (indegree.get(a) ?? 0) - (indegree.get(b) ?? 0) || byCodePoint(a, b));
  const state = new Map<string, 'open' | 'done'>();
  const dag = new Map<string, string[]>(names.map((n) => [n, []]));
  const visit = (n: string) => {
    state.set(n, 'open');
    for (const t of [...(links.get(n) ?? [])].sort(byCodePoint)) {
      if (state.get(t) === 'open') continue; // a back edge: drop it to break the cycle
      dag.get(n)?.push(t);
      if (!state.has(t)) visit(t);
    }
    state.set(n, 'done');
  };
  for (const r of roots) if (!state.has(r)) visit(r);
  const predecessors = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const [from, targets] of dag) for (const t of targets) predecessors.get(t)?.push(from);
  const rank = new Map<string, number>();
  const rankOf = (n: string): number => {
    const known = rank.get(n);
    if (known !== undefined) return known;
    const r = Math.max(0, ...(predecessors.get(n) ?? []).map((p) => rankOf(p) + 1));
    rank.set(n, r);
    return r;
  };
  for (const n of names) rankOf(n);
  return rank;
}

interface Slot {
  readonly key: string;
  readonly id: string;
  readonly kind: 'workload' | 'outside';
  readonly lines: string[];
  readonly open: boolean;
  readonly tooltip: string;
}

interface Group {
  readonly title: string;
  readonly kind: 'namespace' | 'outside';
  slots: Slot[];
}

function workloadTooltip(graph: NetworkGraph, id: string): string {
  const w = graph.workloads.find((x) => x.id === id);
  if (!w) return id;
  const labels = Object.entries(w.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const lines = [
    `${w.kind} ${w.namespace}/${w.name}`,
    `labels: ${labels || '(none)'}`,
    `ingress: ${w.ingressIsolated ? 'isolated' : 'not isolated'}, egress: ${w.egressIsolated ? 'isolated' : 'not isolated'}`,
    ...w.openToAll.map((r) => `open to all: ${r}`),
  ];
  return lines.join('\n');
}

function edgeTooltip(c: Connection, name: (id: string) => string): string {
  const lines = [`${name(c.from)} → ${name(c.to)}: ${formatPorts(c.ports)}`];
  if (c.egress.length) lines.push(`egress allowed by: ${c.egress.join(', ')}`);
  if (c.ingress.length) lines.push(`ingress allowed by: ${c.ingress.join(', ')}`);
  return lines.join('\n');
}

/** Computes where everything goes. Same graph, same layout, to the character. */
export function layoutGraph(graph: NetworkGraph): GraphLayout {
  const workloadById = new Map(graph.workloads.map((w) => [w.id, w]));
  const outsideById = new Map(graph.outside.map((o) => [o.id, o]));
  const name = (id: string) => {
    const w = workloadById.get(id);
    return w ? `${w.namespace}/${w.name}` : (outsideById.get(id)?.label ?? id);
  };

  // Columns: outside sources, namespaces by rank, outside destinations.
  const namespaces = [...new Set(graph.workloads.map((w) => w.namespace))].sort(byCodePoint);
  const links = new Map<string, Set<string>>();
  for (const c of graph.connections) {
    const a = workloadById.get(c.from);
    const b = workloadById.get(c.to);
    if (!a || !b || a.namespace === b.namespace) continue;
    if (!links.has(a.namespace)) links.set(a.namespace, new Set());
    links.get(a.namespace)?.add(b.namespace);
  }
  const rank = rankNamespaces(namespaces, links);
  const maxRank = Math.max(-1, ...rank.values());
  const sourceIds = [...new Set(graph.connections.filter((c) => outsideById.has(c.from)).map((c) => c.from))];
  const destinationIds = [...new Set(graph.connections.filter((c) => outsideById.has(c.to)).map((c) => c.to))];
  const outsideSlot = (id: string, role: 'in' | 'out'): Slot => ({
    key: `${id}@${role}`,
    id,
    kind: 'outside',
    lines: [outsideById.get(id)?.label ?? id],
    open: false,
    tooltip: `outside the input: ${outsideById.get(id)?.label ?? id}`,
  });
  const byOutsideOrder = (a: string, b: string) =>
    graph.outside.findIndex((o) => o.id === a) - graph.outside.findIndex((o) => o.id === b);

  const columns: Group[][] = [];
  if (sourceIds.length) {
    columns.push([
      {
        title: 'outside: sources',
        kind: 'outside',
        slots: sourceIds.sort(byOutsideOrder).map((id) => outsideSlot(id, 'in')),
      },
    ]);
  }
  for (let r = 0; r <= maxRank; r++) {
    columns.push(
      namespaces
        .filter((ns) => rank.get(ns) === r)
        .map((ns) => ({
          title: `namespace ${ns}`,
          kind: 'namespace' as const,
          slots: graph.workloads
            .filter((w) => w.namespace === ns)
            .map((w) => ({
              key: w.id,
              id: w.id,
              kind: 'workload' as const,
              lines: [w.name, w.kind, ...(w.openToAll.length ? ['⚠ open to all'] : [])],
              open: w.openToAll.length > 0,
              tooltip: workloadTooltip(graph, w.id),
            })),
        })),
    );
  }
  if (destinationIds.length) {
    columns.push([
      {
        title: 'outside: destinations',
        kind: 'outside',
        slots: destinationIds.sort(byOutsideOrder).map((id) => outsideSlot(id, 'out')),
      },
    ]);
  }

  const keyOf = (id: string, role: 'in' | 'out') => (outsideById.has(id) ? `${id}@${role}` : id);
  const edgesByKey = graph.connections.map((c) => ({ c, from: keyOf(c.from, 'in'), to: keyOf(c.to, 'out') }));

  // One left-to-right barycenter sweep: order groups and their nodes by the mean position of their left neighbours.
  const position = new Map<string, number>();
  columns.forEach((groups, ci) => {
    if (ci > 0) {
      const bary = (key: string): number | undefined => {
        const ps = edgesByKey
          .flatMap((e) => (e.to === key ? [e.from] : e.from === key ? [e.to] : []))
          .map((k) => position.get(k))
          .filter((p): p is number => p !== undefined);
        return ps.length ? ps.reduce((s, p) => s + p, 0) / ps.length : undefined;
      };
      const order = <T>(items: T[], value: (t: T) => number | undefined, tie: (t: T) => string) =>
        items
          .map((t, i) => ({ t, v: value(t) ?? Number.POSITIVE_INFINITY, i, k: tie(t) }))
          .sort((a, b) => a.v - b.v || byCodePoint(a.k, b.k) || a.i - b.i)
          .map((x) => x.t);
      for (const g of groups)
        if (g.kind === 'namespace')
          g.slots = order(
            g.slots,
            (s) => bary(s.key),
            (s) => s.key,
          );
      const groupBary = (g: Group) => {
        const vs = g.slots.map((s) => bary(s.key)).filter((v): v is number => v !== undefined);
        return vs.length ? vs.reduce((s, v) => s + v, 0) / vs.length : undefined;
      };
      groups.splice(0, groups.length, ...order(groups, groupBary, (g) => g.title));
    }
    let i = 0;
    for (const g of groups) for (const s of g.slots) position.set(s.key, i++);
  });

  // Which side of a node each edge leaves or enters: right to go right, left to go left, right and right within a
  // column. Nodes grow with the number of edges on a side, so that arrowheads do not pile up.
  type Side = 'left' | 'right';
  const columnOf = new Map<string, number>();
  columns.forEach((groups, ci) => groups.forEach((g) => g.slots.forEach((s) => columnOf.set(s.key, ci))));
  const plans = edgesByKey.map((e) => {
    const cs = columnOf.get(e.from) ?? 0;
    const ct = columnOf.get(e.to) ?? 0;
    const fromSide: Side = ct >= cs ? 'right' : 'left';
    const toSide: Side = ct > cs ? 'left' : 'right';
    return { ...e, fromSide, toSide, span: Math.abs(ct - cs), sy: 0, ty: 0 };
  });
  const sideCounts = new Map<string, number>();
  for (const p of plans) {
    for (const k of [`${p.from}|${p.fromSide}`, `${p.to}|${p.toSide}`]) sideCounts.set(k, (sideCounts.get(k) ?? 0) + 1);
  }
  const nodeHeight = (s: Slot) =>
    Math.max(
      2 * NODE_PAD_Y + LINE_HEIGHT * s.lines.length,
      ATTACH_SPACING * (Math.max(sideCounts.get(`${s.key}|left`) ?? 0, sideCounts.get(`${s.key}|right`) ?? 0) + 1),
    );

  // Sizes.
  const labels = graph.connections.map((c) => formatPorts(c.ports));
  const longestLabel = Math.max(0, ...labels.map(textWidth));
  const gap = Math.min(300, Math.max(150, longestLabel + 72));
  const columnWidths = columns.map((groups) =>
    Math.max(
      NODE_MIN_WIDTH,
      ...groups.flatMap((g) => [
        textWidth(g.title) + 2 * NODE_PAD_X - 2 * BOX_PAD,
        ...g.slots.flatMap((s) => s.lines.map((l) => textWidth(l) + 2 * NODE_PAD_X)),
      ]),
    ),
  );
  const groupHeight = (g: Group) =>
    BOX_TITLE +
    2 * BOX_PAD +
    g.slots.reduce((h, s) => h + nodeHeight(s), 0) +
    NODE_GAP * Math.max(0, g.slots.length - 1);
  const columnHeights = columns.map(
    (groups) => groups.reduce((h, g) => h + groupHeight(g), 0) + BOX_GAP * Math.max(0, groups.length - 1),
  );
  const contentHeight = Math.max(0, ...columnHeights);
  const top = MARGIN + TITLE_HEIGHT;

  const boxes: LayoutBox[] = [];
  const nodes: LayoutNode[] = [];
  const nodeByKey = new Map<string, LayoutNode>();
  let x = MARGIN;
  columns.forEach((groups, ci) => {
    const boxWidth = columnWidths[ci] + 2 * BOX_PAD;
    let y = top + (contentHeight - columnHeights[ci]) / 2;
    for (const g of groups) {
      const h = groupHeight(g);
      boxes.push({ title: g.title, kind: g.kind, x, y, w: boxWidth, h });
      let ny = y + BOX_TITLE + BOX_PAD;
      for (const s of g.slots) {
        const node: LayoutNode = { ...s, x: x + BOX_PAD, y: ny, w: columnWidths[ci], h: nodeHeight(s) };
        nodes.push(node);
        nodeByKey.set(s.key, node);
        ny += node.h + NODE_GAP;
      }
      y += h + BOX_GAP;
    }
    x += boxWidth + gap;
  });

  // Attach points: edges meeting a node side are spread over it, ordered by where their other end is (edges that
  // run along a lane below everything count as coming from below).
  const contentBottom = top + contentHeight;
  const ends = new Map<string, { plan: (typeof plans)[number]; end: 'from' | 'to'; other: number }[]>();
  for (const p of plans) {
    const a = nodeByKey.get(p.from);
    const b = nodeByKey.get(p.to);
    if (!a || !b) continue;
    const fk = `${p.from}|${p.fromSide}`;
    const tk = `${p.to}|${p.toSide}`;
    const viaLane = p.span > 1;
    ends.set(fk, [...(ends.get(fk) ?? []), { plan: p, end: 'from', other: viaLane ? contentBottom : b.y + b.h / 2 }]);
    ends.set(tk, [...(ends.get(tk) ?? []), { plan: p, end: 'to', other: viaLane ? contentBottom : a.y + a.h / 2 }]);
  }
  for (const [k, list] of ends) {
    const node = nodeByKey.get(k.slice(0, k.lastIndexOf('|')));
    if (!node) continue;
    list.sort((a, b) => a.other - b.other);
    list.forEach((item, i) => {
      const y = node.y + (node.h * (i + 1)) / (list.length + 1);
      if (item.end === 'from') item.plan.sy = y;
      else item.plan.ty = y;
    });
  }

  // Edges that skip a column run along their own lane below all boxes, so they never cross a node.
  const laneOrder = plans
    .filter((p) => p.span > 1)
    .sort(
      (a, b) =>
        (columnOf.get(a.from) ?? 0) - (columnOf.get(b.from) ?? 0) ||
        b.sy - a.sy ||
        (columnOf.get(a.to) ?? 0) - (columnOf.get(b.to) ?? 0) ||
        a.ty - b.ty,
    );
  const laneY = new Map(laneOrder.map((p, i) => [p, contentBottom + LANE_TOP + LANE_SPACING * i]));

  const placed: { x: number; y: number; w: number }[] = [];
  const overlaps = (cx: number, cy: number, w: number) =>
    placed.some((p) => Math.abs(p.x - cx) < (p.w + w) / 2 + 2 && Math.abs(p.y - cy) < LABEL_HEIGHT + 2);
  const edges: LayoutEdge[] = [];
  const arcs: { x: number }[] = [];
  for (const p of plans) {
    const a = nodeByKey.get(p.from);
    const b = nodeByKey.get(p.to);
    if (!a || !b) continue;
    const sx = p.fromSide === 'right' ? a.x + a.w : a.x;
    const tx = p.toSide === 'right' ? b.x + b.w : b.x;
    const label = formatPorts(p.c.ports);
    const labelW = textWidth(label) + 10;
    let path: string;
    let lx: number;
    let ly: number;
    const lane = laneY.get(p);
    if (lane !== undefined) {
      // Out of the source, down to the lane, along it, up into the destination.
      const dir = tx > sx ? 1 : -1;
      const turn = BOX_PAD + 40;
      const s1 = sx + dir * turn;
      const t1 = tx - dir * turn;
      path =
        `M${num(sx)},${num(p.sy)} C${num(sx + (dir * turn) / 2)},${num(p.sy)} ${num(s1 - (dir * turn) / 2)},${num(lane)} ${num(s1)},${num(lane)}` +
        ` L${num(t1)},${num(lane)} C${num(t1 + (dir * turn) / 2)},${num(lane)} ${num(tx - (dir * turn) / 2)},${num(p.ty)} ${num(tx)},${num(p.ty)}`;
      lx = s1 + dir * (labelW / 2 + 8);
      ly = lane;
    } else if (p.fromSide === 'right' && p.toSide === 'right') {
      const bulge = BOX_PAD + 28 + Math.min(gap / 2, Math.abs(p.ty - p.sy) / 4);
      const cx = Math.max(sx, tx) + bulge;
      arcs.push({ x: sx + 0.75 * (cx - sx) });
      path = `M${num(sx)},${num(p.sy)} C${num(cx)},${num(p.sy)} ${num(cx)},${num(p.ty)} ${num(tx)},${num(p.ty)}`;
      lx = (sx + 6 * cx + tx) / 8 + labelW / 2 + 4; // beside the arc, clear of the nodes it joins
      ly = (p.sy + p.ty) / 2;
    } else {
      const dx = Math.max(40, Math.abs(tx - sx) / 2);
      const c1x = p.fromSide === 'right' ? sx + dx : sx - dx;
      const c2x = p.toSide === 'left' ? tx - dx : tx + dx;
      path = `M${num(sx)},${num(p.sy)} C${num(c1x)},${num(p.sy)} ${num(c2x)},${num(p.ty)} ${num(tx)},${num(p.ty)}`;
      lx = (sx + 3 * c1x + 3 * c2x + tx) / 8;
      ly = (p.sy + p.ty) / 2;
    }
    for (let tries = 0; tries < 40 && overlaps(lx, ly, labelW); tries++) ly += LABEL_HEIGHT + 2;
    placed.push({ x: lx, y: ly, w: labelW });
    edges.push({
      from: p.from,
      to: p.to,
      path,
      label,
      labelX: lx,
      labelY: ly,
      labelW,
      outside: p.c.outside,
      tooltip: edgeTooltip(p.c, name),
    });
  }
  const lowestLabel = Math.max(0, ...placed.map((p) => p.y + LABEL_HEIGHT));
  const lowestLane = Math.max(0, ...laneY.values());
  const legendY = Math.max(contentBottom, lowestLabel, lowestLane) + 24;
  const right = Math.max(...boxes.map((b) => b.x + b.w), ...placed.map((p) => p.x + p.w / 2), ...arcs.map((a) => a.x));
  return {
    width: Math.ceil(Math.max(right + MARGIN, MIN_WIDTH)),
    height: Math.ceil(legendY + LEGEND_HEIGHT),
    titleY: MARGIN + 18,
    legendY,
    boxes,
    nodes,
    edges,
  };
}

/** A coordinate as written in the SVG: at most one decimal, no trailing zeros. */
export function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}
