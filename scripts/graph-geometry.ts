import type { Page } from 'playwright-core';

/** What the render check measures on a rendered network graph, in CSS pixels as the browser laid it out. */
export interface GraphGeometry {
  readonly nodes: number;
  readonly labels: number;
  /** Pairs of node boxes that overlap. */
  readonly nodeOverlaps: readonly string[];
  /** Pairs of edge labels that overlap, or a label over a node box. */
  readonly labelOverlaps: readonly string[];
  /** Labels whose centre is farther than 1 px from their edge's path. */
  readonly labelsOffEdge: readonly string[];
}

/**
 * Measures the first bulwark network graph (an `svg` with `g.bw-node` boxes) on the page: node boxes and edge labels
 * from their rendered rectangles (getBoundingClientRect), and each label's distance to its edge's path, sampled along
 * the path every pixel (getPointAtLength).
 */
export async function measureGraph(page: Page): Promise<GraphGeometry> {
  // Plain JavaScript sent as text: a transpiled function would carry the TypeScript loader's helpers into the page.
  return (await page.evaluate(MEASURE)) as GraphGeometry;
}

const MEASURE = `(() => {
  const rectOf = (el, name) => {
    const b = el.getBoundingClientRect();
    return { name, x: b.x, y: b.y, w: b.width, h: b.height };
  };
  const svg = document.querySelector('svg');
  if (!svg) return { nodes: 0, labels: 0, nodeOverlaps: [], labelOverlaps: [], labelsOffEdge: [] };
  const nodes = [...svg.querySelectorAll('g.bw-node')].map((g) => rectOf(g.querySelector('rect'), g.getAttribute('data-key') || '?'));
  const labelGroups = [...svg.querySelectorAll('g.bw-label')];
  const labels = labelGroups.map((g) => rectOf(g.querySelector('rect'), 'label ' + g.getAttribute('data-edge')));
  const overlaps = (a, b, same) => {
    const out = [];
    a.forEach((p, i) =>
      b.forEach((q, j) => {
        if (same && j <= i) return;
        // Touching edges are not an overlap; anything more than a hairline is.
        const ox = Math.min(p.x + p.w, q.x + q.w) - Math.max(p.x, q.x);
        const oy = Math.min(p.y + p.h, q.y + q.h) - Math.max(p.y, q.y);
        if (ox > 0.5 && oy > 0.5) out.push(p.name + ' x ' + q.name);
      }),
    );
    return out;
  };
  const ctm = svg.getScreenCTM();
  const off = [];
  for (const g of labelGroups) {
    const id = g.getAttribute('data-edge');
    const path = svg.querySelector('g.bw-edge[data-edge="' + id + '"] path');
    const r = g.querySelector('rect').getBoundingClientRect();
    if (!path || !ctm) {
      off.push('label ' + id + ': no edge');
      continue;
    }
    const cx = r.x + r.width / 2;
    const cy = r.y + r.height / 2;
    let best = Infinity;
    const length = path.getTotalLength();
    for (let s = 0; s <= length; s += 1) {
      const p = path.getPointAtLength(s).matrixTransform(ctm);
      best = Math.min(best, Math.hypot(p.x - cx, p.y - cy));
    }
    if (best > 1) off.push('label ' + id + ': ' + best.toFixed(1) + ' px from its edge');
  }
  return {
    nodes: nodes.length,
    labels: labels.length,
    nodeOverlaps: overlaps(nodes, nodes, true),
    labelOverlaps: [...overlaps(labels, labels, true), ...overlaps(labels, nodes, false)],
    labelsOffEdge: off,
  };
})()`;

/** The failures of a measurement, one line each. */
export function geometryFailures(what: string, g: GraphGeometry): string[] {
  return [
    ...g.nodeOverlaps.map((o) => `${what}: node boxes overlap: ${o}`),
    ...g.labelOverlaps.map((o) => `${what}: edge label overlaps: ${o}`),
    ...g.labelsOffEdge.map((o) => `${what}: ${o}`),
  ];
}
