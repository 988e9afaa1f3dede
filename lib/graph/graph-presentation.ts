import { formatPorts } from './port-set';
import { Connection, NetworkGraph, OutsideNode, Workload } from './reachability';

/**
 * What the picture shows, decided before anything is placed: connections every workload has (DNS, typically) become
 * one note instead of one edge each; each edge gets a style for what it crosses; each workload its findings.
 */

/** How an edge is drawn: inside a namespace, across namespaces, to or from anywhere, an address range, or pods of a
 * namespace not in the input. */
export type EdgeStyle = 'local' | 'cross-namespace' | 'anywhere' | 'cidr' | 'outside-pods';

/** One connection many workloads share with the same outside node on the same ports, drawn once as a note. */
export interface CommonConnection {
  readonly direction: 'egress' | 'ingress';
  /** The outside node's id and label. */
  readonly peer: string;
  readonly peerLabel: string;
  readonly ports: string;
  /** How many workloads have it: every workload isolated in that direction. */
  readonly workloads: number;
}

export interface Presentation {
  readonly connections: readonly Connection[];
  readonly common: readonly CommonConnection[];
}

/** At least this many workloads must share a connection before it is folded into a note. */
export const COMMON_MIN_WORKLOADS = 3;

/**
 * Connections between a workload and one outside node, on the same ports, that every workload isolated in that
 * direction has (and at least COMMON_MIN_WORKLOADS of them): drawn once, as a note, instead of once per workload.
 */
export function presentGraph(graph: NetworkGraph): Presentation {
  const outside = new Map(graph.outside.map((o) => [o.id, o]));
  const isolated = {
    egress: graph.workloads.filter((w) => w.egressIsolated).length,
    ingress: graph.workloads.filter((w) => w.ingressIsolated).length,
  };
  const groups = new Map<
    string,
    { direction: 'egress' | 'ingress'; peer: OutsideNode; ports: string; edges: Connection[] }
  >();
  for (const c of graph.connections) {
    const direction = outside.has(c.to) ? 'egress' : outside.has(c.from) ? 'ingress' : undefined;
    if (!direction) continue;
    const peer = outside.get(direction === 'egress' ? c.to : c.from) as OutsideNode;
    if (peer.kind === 'anywhere') continue; // open directions are findings of their workloads, never folded away
    const ports = formatPorts(c.ports);
    const key = `${direction}\u0000${peer.id}\u0000${ports}`;
    const group = groups.get(key);
    if (group) group.edges.push(c);
    else groups.set(key, { direction, peer, ports, edges: [c] });
  }
  const folded = new Set<Connection>();
  const common: CommonConnection[] = [];
  for (const g of groups.values()) {
    const everyIsolated = g.edges.length === isolated[g.direction];
    if (!everyIsolated || g.edges.length < COMMON_MIN_WORKLOADS) continue;
    for (const e of g.edges) folded.add(e);
    common.push({
      direction: g.direction,
      peer: g.peer.id,
      peerLabel: g.peer.label,
      ports: g.ports,
      workloads: g.edges.length,
    });
  }
  return { connections: graph.connections.filter((c) => !folded.has(c)), common };
}

/** The style of an edge from what its ends are. */
export function edgeStyle(
  c: Connection,
  workloads: ReadonlyMap<string, Workload>,
  outside: ReadonlyMap<string, OutsideNode>,
): EdgeStyle {
  const o = outside.get(c.from) ?? outside.get(c.to);
  if (o) return o.kind === 'anywhere' ? 'anywhere' : o.kind === 'cidr' ? 'cidr' : 'outside-pods';
  return workloads.get(c.from)?.namespace === workloads.get(c.to)?.namespace ? 'local' : 'cross-namespace';
}

/** What a workload's box says about it, worst first: short enough to fit under its name. */
export function workloadFindings(w: Workload): string[] {
  if (w.hostNetwork) return ['⚠ host network: policies do not apply'];
  if (!w.ingressIsolated && !w.egressIsolated) return ['⚠ no NetworkPolicy'];
  const out: string[] = [];
  if (w.openToAll.length) out.push('⚠ open to all');
  if (!w.egressIsolated) out.push('⚠ egress open');
  return out;
}

/** A sentence for a common connection, for the note under the picture. */
export function commonConnectionText(c: CommonConnection): string {
  return c.direction === 'egress'
    ? `every egress-isolated workload (${c.workloads}) → ${c.peerLabel}: ${c.ports}`
    : `${c.peerLabel} → every ingress-isolated workload (${c.workloads}): ${c.ports}`;
}
