/** Who is on the other side of a network rule: pods by labels, in a namespace. */
export interface NetworkPeer {
  readonly namespace: string;
  /** Pod labels; `{}` means every pod of the namespace. */
  readonly podLabels: Readonly<Record<string, string>>;
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
