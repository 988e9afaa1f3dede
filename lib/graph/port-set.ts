import { byCodePoint } from '../util/by-code-point';

/** Protocols a NetworkPolicy port can name; a port without protocol is TCP. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Ports `from` to `to` (inclusive) of one protocol. */
export interface PortRange {
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
}

/** A named port that could not be resolved because the pod that would define it is not in the input. */
export interface NamedPort {
  readonly protocol: Protocol;
  readonly name: string;
}

/**
 * A set of ports, kept normalized: ranges sorted by protocol (TCP, UDP, SCTP) then port, merged when they touch;
 * named ports sorted and unique. Two equal sets have equal representations.
 */
export interface PortSet {
  readonly ranges: readonly PortRange[];
  readonly named: readonly NamedPort[];
}

function byProtocol(a: Protocol, b: Protocol): number {
  return PROTOCOLS.indexOf(a) - PROTOCOLS.indexOf(b);
}

export function portSet(ranges: readonly PortRange[], named: readonly NamedPort[] = []): PortSet {
  const sorted = ranges
    .filter((r) => r.from <= r.to)
    .sort((a, b) => byProtocol(a.protocol, b.protocol) || a.from - b.from || a.to - b.to);
  const merged: PortRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.protocol === r.protocol && r.from <= last.to + 1) {
      merged[merged.length - 1] = { ...last, to: Math.max(last.to, r.to) };
    } else {
      merged.push({ ...r });
    }
  }
  const names = new Map<string, NamedPort>();
  for (const n of named) names.set(`${PROTOCOLS.indexOf(n.protocol)}/${n.name}`, n);
  const uniqueNamed = [...names.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([, n]) => n);
  return { ranges: merged, named: uniqueNamed };
}

export const NO_PORTS: PortSet = portSet([]);
export const ANY_PORT: PortSet = portSet(PROTOCOLS.map((protocol) => ({ protocol, from: MIN_PORT, to: MAX_PORT })));

export function allPortsOf(protocol: Protocol): PortRange {
  return { protocol, from: MIN_PORT, to: MAX_PORT };
}

export function isEmptyPortSet(set: PortSet): boolean {
  return set.ranges.length === 0 && set.named.length === 0;
}

export function isAnyPort(set: PortSet): boolean {
  return (
    set.named.length === 0 &&
    PROTOCOLS.every((p) => set.ranges.some((r) => r.protocol === p && r.from === MIN_PORT && r.to === MAX_PORT))
  );
}

export function unionPorts(...sets: readonly PortSet[]): PortSet {
  return portSet(
    sets.flatMap((s) => s.ranges),
    sets.flatMap((s) => s.named),
  );
}

/** Ports in both sets. Named ports are kept only when both sets name them (they cannot be compared to numbers). */
export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  const ranges: PortRange[] = [];
  for (const x of a.ranges) {
    for (const y of b.ranges) {
      if (x.protocol !== y.protocol) continue;
      const from = Math.max(x.from, y.from);
      const to = Math.min(x.to, y.to);
      if (from <= to) ranges.push({ protocol: x.protocol, from, to });
    }
  }
  const named = a.named.filter((n) => b.named.some((m) => m.protocol === n.protocol && m.name === n.name));
  return portSet(ranges, named);
}

/**
 * How people read ports on an edge: `TCP 8080`, `TCP 8000-8100, UDP 53`, `TCP any` (every TCP port), `any`
 * (every port of every protocol), `TCP metrics` (a named port of a pod outside the input); `none` when empty.
 */
export function formatPorts(set: PortSet): string {
  if (isAnyPort(set)) return 'any';
  if (isEmptyPortSet(set)) return 'none';
  const parts: string[] = [];
  for (const protocol of PROTOCOLS) {
    const items = set.ranges
      .filter((r) => r.protocol === protocol)
      .map((r) =>
        r.from === MIN_PORT && r.to === MAX_PORT ? 'any' : r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`,
      );
    items.push(...set.named.filter((n) => n.protocol === protocol).map((n) => n.name));
    if (items.length) parts.push(`${protocol} ${items.join(',')}`);
  }
  return parts.join(', ');
}
