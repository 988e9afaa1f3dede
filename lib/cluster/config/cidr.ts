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
