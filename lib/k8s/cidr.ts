/**
 * IP ranges and "open to all". A set of ranges is open to all when their union covers more than OPEN_TO_ALL_SHARE of
 * the public address space of IPv4 or of IPv6 (not only `0.0.0.0/0` or `::/0`: `0.0.0.0/1` plus `128.0.0.0/1`, or
 * 221 public /8s, admit the internet just as well). IPv4-mapped IPv6 ranges (`::ffff:0:0/96`) count as the IPv4
 * addresses they map. Public space: IPv4 without the special-purpose ranges of RFC 6890 (private, loopback,
 * link-local, shared, documentation, benchmarking, multicast and reserved); IPv6 global unicast, 2000::/3.
 */

/** More than this share of the public IPv4 or IPv6 space is open to all: 1/16, sixteen /8s of IPv4. */
export const OPEN_TO_ALL_SHARE = 1 / 16;

/** An IPv4 or IPv6 range: its family, first address (host bits cleared, as Kubernetes' ParseCIDR) and prefix. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly prefix: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): bigint | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

function parseV6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (halves.length === 1 && left.length !== 8) return undefined;
  if (halves.length === 2 && left.length + right.length > 7) return undefined;
  const all = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses `a.b.c.d/n` or an IPv6 `x::y/n`; undefined when the text is neither. */
export function parseIpRange(text: string): IpRange | undefined {
  const t = text.trim();
  const slash = t.lastIndexOf('/');
  if (slash < 0 || !/^\d{1,3}$/.test(t.slice(slash + 1))) return undefined;
  const prefix = Number(t.slice(slash + 1));
  const addr = t.slice(0, slash);
  const family = addr.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const value = family === 4 ? parseV4(addr) : parseV6(addr);
  if (value === undefined) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { family, first: (value >> hostBits) << hostBits, prefix };
}

/** A CIDR with prefix length 0 (`0.0.0.0/0`, `::/0`) or any other range that alone is open to all. */
export function isOpenToAll(cidr: string): boolean {
  return /\/0+$/.test(cidr.trim()) || openToAllReason([cidr]) !== undefined;
}

type Interval = readonly [bigint, bigint]; // [start, end)

function interval(r: IpRange): Interval {
  const size = 1n << BigInt((r.family === 4 ? 32 : 128) - r.prefix);
  return [r.first, r.first + size];
}

function merge(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) {
      if (e > last[1]) last[1] = e;
    } else out.push([s, e]);
  }
  return out;
}

function intersect(a: readonly Interval[], b: readonly Interval[]): bigint {
  let total = 0n;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
    const e = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
    if (s < e) total += e - s;
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return total;
}

const V4_SPECIAL = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/3',
].map((t) => interval(parseIpRange(t) as IpRange));

function complement(special: Interval[], end: bigint): Interval[] {
  const out: Interval[] = [];
  let at = 0n;
  for (const [s, e] of merge(special)) {
    if (s > at) out.push([at, s]);
    at = e > at ? e : at;
  }
  if (at < end) out.push([at, end]);
  return out;
}

const PUBLIC_V4 = complement(V4_SPECIAL, 1n << 32n);
const PUBLIC_V4_SIZE = PUBLIC_V4.reduce((n, [s, e]) => n + e - s, 0n);
const PUBLIC_V6: Interval[] = [interval(parseIpRange('2000::/3') as IpRange)];
const PUBLIC_V6_SIZE = PUBLIC_V6[0][1] - PUBLIC_V6[0][0];
const MAPPED: Interval = interval(parseIpRange('::ffff:0:0/96') as IpRange);

/** The shares (0 to 1) of the public IPv4 and IPv6 space that the union of `ranges` covers. */
export function publicCoverage(ranges: readonly IpRange[]): { readonly ipv4: number; readonly ipv6: number } {
  const v4: Interval[] = [];
  const v6: Interval[] = [];
  for (const r of ranges) {
    const [s, e] = interval(r);
    if (r.family === 4) v4.push([s, e]);
    else {
      v6.push([s, e]);
      // IPv4-mapped IPv6: the part inside ::ffff:0:0/96 is the IPv4 addresses it maps.
      const ms = s > MAPPED[0] ? s : MAPPED[0];
      const me = e < MAPPED[1] ? e : MAPPED[1];
      if (ms < me) v4.push([ms - MAPPED[0], me - MAPPED[0]]);
    }
  }
  const share = (covered: bigint, size: bigint) => Number((covered * 1_000_000n) / size) / 1_000_000;
  return {
    ipv4: share(intersect(merge(v4), PUBLIC_V4), PUBLIC_V4_SIZE),
    ipv6: share(intersect(merge(v6), PUBLIC_V6), PUBLIC_V6_SIZE),
  };
}

function percent(share: number): string {
  return `${Math.round(share * 10000) / 100}%`;
}

/**
 * Why the union of `cidrs` is open to all (e.g. `together they cover 100% of the public IPv4 space (more than 6.25%
 * is open to all)`), or undefined when it is not. Texts that are not CIDRs are left out.
 */
export function openToAllReason(cidrs: readonly string[]): string | undefined {
  const ranges = cidrs.map(parseIpRange).filter((r): r is IpRange => r !== undefined);
  const { ipv4, ipv6 } = publicCoverage(ranges);
  const they = cidrs.length === 1 ? 'it covers' : 'together they cover';
  const limit = `(more than ${percent(OPEN_TO_ALL_SHARE)} is open to all)`;
  if (ipv4 > OPEN_TO_ALL_SHARE) return `${they} ${percent(ipv4)} of the public IPv4 space ${limit}`;
  if (ipv6 > OPEN_TO_ALL_SHARE) return `${they} ${percent(ipv6)} of the public IPv6 space ${limit}`;
  return undefined;
}

/** An IPv4 network in CIDR notation, e.g. `10.20.0.0/16`. */
export interface Ipv4Cidr {
  readonly address: number;
  readonly prefix: number;
  readonly text: string;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when the text is not an IPv4 CIDR (octet > 255, prefix > 32, missing prefix...). */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const m = CIDR.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { address, prefix, text };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((s) => (address >>> s) & 255).join('.');
}

/** The network address of the CIDR with host bits cleared, e.g. `10.0.0.0/24` for `10.0.0.7/24`. */
export function canonicalCidr(c: Ipv4Cidr): string {
  return `${formatAddress((c.address & mask(c.prefix)) >>> 0)}/${c.prefix}`;
}

/** True when bits below the prefix are set (`10.0.0.7/24`): providers refuse or silently round these. */
export function hasHostBits(c: Ipv4Cidr): boolean {
  return (c.address & ~mask(c.prefix)) >>> 0 !== 0;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((t) => parseIpv4Cidr(t) as Ipv4Cidr);

/** True when the whole network lies inside an RFC 1918 private range. */
export function isRfc1918(c: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some(
    (r) => c.prefix >= r.prefix && (c.address & mask(r.prefix)) >>> 0 === (r.address & mask(r.prefix)) >>> 0,
  );
}

/** True when the two networks share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const m = mask(Math.min(a.prefix, b.prefix));
  return (a.address & m) >>> 0 === (b.address & m) >>> 0;
}

function formatV6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes '::' (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The range in its canonical text, host bits cleared: `10.0.0.0/24` for `10.0.0.7/24`, `2001:db8::/32`. */
export function formatIpRange(r: IpRange): string {
  if (r.family === 4) return `${[24n, 16n, 8n, 0n].map((s) => (r.first >> s) & 255n).join('.')}/${r.prefix}`;
  return `${formatV6(r.first)}/${r.prefix}`;
}

/** True when `text` is a range with bits set below its prefix (`10.0.0.7/24`); false for a clean or unparsable one. */
export function ipRangeHasHostBits(text: string): boolean {
  const r = parseIpRange(text);
  if (!r) return false;
  const slash = text.trim().lastIndexOf('/');
  const addr = text.trim().slice(0, slash);
  const value = r.family === 4 ? parseV4(addr) : parseV6(addr);
  return value !== r.first;
}

/** True when `inner` lies inside `outer` and is smaller (what Kubernetes requires of an ipBlock's `except`). */
export function isStrictSubrange(inner: IpRange, outer: IpRange): boolean {
  if (inner.family !== outer.family || inner.prefix <= outer.prefix) return false;
  const bits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return inner.first >> bits === outer.first >> bits;
}

/**
 * The broadest prefix an address range of a NetworkPolicy may have without review: /16 for IPv4 (65,536 addresses,
 * a site or a cloud service's range; a /8 reaches a whole private network, the cluster's pods included with most
 * CNIs), /48 for IPv6 (a site).
 */
export const BROAD_PREFIX: Readonly<Record<4 | 6, number>> = { 4: 16, 6: 48 };

/**
 * Why `cidrs` (the ranges a NetworkPolicy admits in one direction) are too broad: the first range broader than
 * BROAD_PREFIX, or their union open to all. Undefined when they are narrow; texts that are not CIDRs are left out.
 */
export function broadRangeReason(cidrs: readonly string[]): string | undefined {
  if (cidrs.length === 0) return undefined;
  for (const cidr of cidrs) {
    const r = parseIpRange(cidr);
    if (!r) continue;
    const alone = openToAllReason([cidr]);
    if (alone) return `'${cidr}' admits every address: ${alone}`;
    if (r.prefix < BROAD_PREFIX[r.family]) {
      return `'${cidr}' is broader than /${BROAD_PREFIX[r.family]} (IPv${r.family}): 2^${(r.family === 4 ? 32 : 128) - r.prefix} addresses`;
    }
  }
  const together = openToAllReason(cidrs);
  return together ? `the ranges admit every address: ${together}` : undefined;
}

/**
 * An upper bound of the share of the public address space `r` adds to a union (its size over the public IPv4 space,
 * and for IPv6 also over IPv6's): a caller summing these needs the exact union (openToAllReason) only once the sum
 * passes OPEN_TO_ALL_SHARE.
 */
export function publicShareBound(r: IpRange): number {
  const size = 1n << BigInt((r.family === 4 ? 32 : 128) - r.prefix);
  const v4 = Number(size) / Number(PUBLIC_V4_SIZE);
  return r.family === 4 ? v4 : Math.max(v4, Number(size) / Number(PUBLIC_V6_SIZE));
}
