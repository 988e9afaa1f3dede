import { GraphLayout, layoutGraph, Point } from '../../lib/graph/graph-layout';
import { presentGraph } from '../../lib/graph/graph-presentation';
import { networkGraphOf } from '../../lib/graph/reachability';
import { boutiqueApp, teamsApp } from '../helpers/graph-apps';

interface Rect {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function overlapping(rects: readonly Rect[]): string[] {
  const out: string[] = [];
  const sorted = [...rects].sort((a, b) => a.x - b.x);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].x < sorted[i].x + sorted[i].w; j++) {
      const a = sorted[i];
      const b = sorted[j];
      if (a.y < b.y + b.h && b.y < a.y + a.h) out.push(`${a.name} overlaps ${b.name}`);
    }
  }
  return out;
}

function distanceToPolyline(p: Point, points: readonly Point[]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const t =
      dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y));
  }
  return best;
}

function check(layout: GraphLayout): { boxes: string[]; labels: string[]; offEdge: string[] } {
  const nodes = layout.nodes.map((n) => ({ name: n.key, x: n.x, y: n.y, w: n.w, h: n.h }));
  const labels = layout.edges.map((e) => ({
    name: `${e.from}->${e.to}`,
    x: e.labelX - e.labelW / 2,
    y: e.labelY - 8,
    w: e.labelW,
    h: 16,
  }));
  return {
    boxes: overlapping(nodes),
    labels: overlapping([...labels, ...nodes]),
    offEdge: layout.edges
      .filter((e) => distanceToPolyline({ x: e.labelX, y: e.labelY }, e.points) > 0.5)
      .map((e) => `${e.from}->${e.to}`),
  };
}

describe('layoutGraph at real scale', () => {
  it.each([
    ['the 11-service demo', boutiqueApp, 11],
    ['100 workloads in 10 namespaces', teamsApp, 100],
  ])('%s: no two boxes overlap, no label overlaps a box or a label, every label sits on its edge', (_, app, n) => {
    const graph = networkGraphOf(app());
    expect(graph.workloads).toHaveLength(n);
    const layout = layoutGraph(graph);
    expect(layout.nodes.filter((x) => x.kind === 'workload')).toHaveLength(n);
    expect(check(layout)).toEqual({ boxes: [], labels: [], offEdge: [] });
  });

  it('draws the DNS egress every workload has once, as a note, not as an edge per workload', () => {
    const graph = networkGraphOf(boutiqueApp());
    const dns = graph.connections.filter((c) => c.to.startsWith('outside:pods:kube-system'));
    expect(dns).toHaveLength(11);
    const shown = presentGraph(graph);
    expect(shown.common).toEqual([
      {
        direction: 'egress',
        peer: dns[0].to,
        peerLabel: 'kube-system: k8s-app=kube-dns',
        ports: 'TCP 53, UDP 53',
        workloads: 11,
      },
    ]);
    const layout = layoutGraph(graph);
    expect(layout.edges.filter((e) => e.to === dns[0].to)).toEqual([]);
    expect(layout.notes).toEqual([
      'drawn once for all: every egress-isolated workload (11) → kube-system: k8s-app=kube-dns: TCP 53, UDP 53',
    ]);
  });

  it('orders by traffic: the entry point left of what it calls, the store at the end of its chain', () => {
    const layout = layoutGraph(networkGraphOf(boutiqueApp()));
    const x = (name: string) => layout.nodes.find((n) => n.key === `boutique/Deployment/${name}`)?.x ?? NaN;
    expect(x('frontend')).toBeLessThan(x('checkoutservice'));
    expect(x('checkoutservice')).toBeLessThan(x('paymentservice'));
    expect(x('cartservice')).toBeLessThan(x('redis-cart'));
  });
});
