/** Who is on the other side of a network rule: pods by labels, in a namespace. */
export interface NetworkPeer {
  readonly namespace: string;
  /** Pod labels; `{}` means every pod of the namespace. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** An address range outside the cluster, a NetworkPolicy `ipBlock`. Make one with `NetworkPeer.cidr`. */
export interface CidrPeer {
  /** The range, e.g. `10.20.0.0/16` or `2001:db8::/48`. */
  readonly cidr: string;
  /** Ranges inside `cidr` left out. @default none */
  readonly except?: readonly string[];
}

/** Options of `NetworkPeer.cidr`. */
export interface CidrPeerOptions {
  /** Ranges inside the CIDR to leave out (each strictly inside it). @default none */
  readonly except?: readonly string[];
}

/** Peers of `allowFrom`/`allowTo` that are not bulwark workloads. */
export const NetworkPeer = {
  /** Pods carrying `podLabels` in `namespace`; `{}` selects every pod of the namespace. */
  pods(namespace: string, podLabels: Readonly<Record<string, string>> = {}): NetworkPeer {
    return { namespace, podLabels: { ...podLabels } };
  },
  /**
   * An address range outside the cluster (a database subnet, a partner's API): `allowTo(NetworkPeer.cidr(
   * '10.20.0.0/16'), 443)`. Checked where it is used: a CIDR without host bits; a range broader than /16 (IPv4) or
   * /48 (IPv6), or ranges of the workload that together are open to all, need the exemption
   * `network-policy-broad-ip-block` with a reason.
   * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource (ipBlock)
   */
  cidr(cidr: string, options: CidrPeerOptions = {}): CidrPeer {
    return { cidr, ...(options.except !== undefined ? { except: [...options.except] } : {}) };
  },
};

/** True for a peer made by `NetworkPeer.cidr`. */
export function isCidrPeer(x: unknown): x is CidrPeer {
  return typeof x === 'object' && x !== null && typeof (x as { cidr?: unknown }).cidr === 'string';
}

/** A port a workload listens on. */
export interface DeclaredPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** A workload whose NetworkPolicies bulwark writes, so both directions of a connection can be opened. */
export interface INetworkWorkload {
  /** The workload's pods, as a peer of other workloads. */
  readonly networkPeer: NetworkPeer;
  /** The port `allowFrom` opens when none is given; undefined when the workload listens on none. */
  readonly defaultPort?: number;
  /** The ports the workload listens on; connections to it must use one of them. */
  readonly declaredPorts: readonly DeclaredPort[];
  /** @internal Opens ingress on this workload from `peer` on `port`. */
  _allowIngress(peer: NetworkPeer, port: number, protocol?: DeclaredPort['protocol']): void;
  /** @internal Opens egress from this workload to `peer` on `port`. */
  _allowEgress(peer: NetworkPeer, port: number, protocol?: DeclaredPort['protocol']): void;
}

export function isNetworkWorkload(x: unknown): x is INetworkWorkload {
  return typeof x === 'object' && x !== null && '_allowIngress' in x && '_allowEgress' in x && 'networkPeer' in x;
}

/** The NetworkPolicy peer that selects `peer` as seen from `fromNamespace`. */
export function policyPeer(peer: NetworkPeer, fromNamespace: string): Record<string, unknown> {
  const podSelector = { matchLabels: { ...peer.podLabels } };
  if (peer.namespace === fromNamespace) return { podSelector };
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
    podSelector,
  };
}
