import { asArray, asRecord, isRecord } from '../k8s/k8s-object';
import { LabelSelector, parseLabelSelector } from '../k8s/label-selector';
import { NetworkPolicyView, PolicyType } from '../k8s/network-policy';
import { Protocol, PROTOCOLS } from './port-set';

/**
 * Pods a rule peer names. `namespaces: 'own'` is a peer with a podSelector only: pods of the policy's own namespace.
 * A peer with a namespaceSelector only has `pods: {}` (every pod of the matching namespaces); with both, both hold.
 */
export interface PodPeer {
  readonly kind: 'pods';
  readonly namespaces: 'own' | LabelSelector;
  readonly pods: LabelSelector;
}

/** An ipBlock peer: addresses in `cidr` but in none of `except`. */
export interface IpBlockPeer {
  readonly kind: 'ipBlock';
  readonly cidr: string;
  readonly except: readonly string[];
}

export type Peer = PodPeer | IpBlockPeer;

/** One entry of `ports`: a protocol (default TCP) and a number, a number range (`endPort`), a name, or every port. */
export type PortSpec =
  | { readonly protocol: Protocol; readonly kind: 'all' }
  | { readonly protocol: Protocol; readonly kind: 'number'; readonly from: number; readonly to: number }
  | { readonly protocol: Protocol; readonly kind: 'named'; readonly name: string };

/** One ingress or egress rule of a NetworkPolicy, read once. */
export interface PolicyRule {
  readonly direction: PolicyType;
  /** `namespace/name` of the policy, as reports name it. */
  readonly policy: string;
  readonly namespace: string;
  /** Position in `spec.ingress` or `spec.egress`. */
  readonly index: number;
  /** `'all'` when `from`/`to` is missing or empty: every source or destination. */
  readonly peers: 'all' | readonly Peer[];
  /** `'all'` when `ports` is missing or empty: every port of every protocol. */
  readonly ports: 'all' | readonly PortSpec[];
}

function parsePeer(value: unknown): Peer | undefined {
  if (!isRecord(value)) return undefined;
  const hasPods = value.podSelector !== undefined && value.podSelector !== null;
  const hasNamespaces = value.namespaceSelector !== undefined && value.namespaceSelector !== null;
  const hasIpBlock = value.ipBlock !== undefined && value.ipBlock !== null;
  if (hasIpBlock) {
    // The API server rejects an ipBlock combined with selectors; such a peer allows nothing here.
    if (hasPods || hasNamespaces || !isRecord(value.ipBlock) || typeof value.ipBlock.cidr !== 'string')
      return undefined;
    const except = asArray(value.ipBlock.except).filter((e): e is string => typeof e === 'string');
    return { kind: 'ipBlock', cidr: value.ipBlock.cidr, except };
  }
  if (!hasPods && !hasNamespaces) return undefined; // an empty peer is rejected by the API server
  const pods = hasPods ? parseLabelSelector(value.podSelector) : {};
  const namespaces = hasNamespaces ? parseLabelSelector(value.namespaceSelector) : 'own';
  if (pods === undefined || namespaces === undefined) return undefined; // malformed: selects nothing
  return { kind: 'pods', namespaces, pods };
}

function parseProtocol(value: unknown): Protocol | undefined {
  if (value === undefined || value === null) return 'TCP';
  return PROTOCOLS.find((p) => p === value);
}

function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function parsePort(value: unknown): PortSpec | undefined {
  if (!isRecord(value)) return undefined;
  const protocol = parseProtocol(value.protocol);
  if (!protocol) return undefined;
  const port = value.port;
  if (port === undefined || port === null) return { protocol, kind: 'all' };
  if (typeof port === 'string') {
    // A named port is an IANA service name (it has a letter); the API server rejects `"8080"` and endPort with a name.
    const hasEndPort = value.endPort !== undefined && value.endPort !== null;
    return /[a-z]/.test(port) && !hasEndPort ? { protocol, kind: 'named', name: port } : undefined;
  }
  if (!isPortNumber(port)) return undefined;
  const endPort = value.endPort;
  if (endPort === undefined || endPort === null) return { protocol, kind: 'number', from: port, to: port };
  if (!isPortNumber(endPort) || endPort < port) return undefined;
  return { protocol, kind: 'number', from: port, to: endPort };
}

/**
 * The rules of a policy in one direction, or undefined when the policy does not apply to that direction (its
 * effective policyTypes leave it out). A policy that applies with no rule (`ingress: []` or no `ingress`) gives [],
 * which isolates the pods it selects and allows nothing. Malformed peers and ports (which the API server would
 * reject) allow nothing; a list of only malformed entries therefore allows nothing rather than everything.
 */
export function policyRules(view: NetworkPolicyView, direction: PolicyType): readonly PolicyRule[] | undefined {
  if (!view.policyTypes.has(direction)) return undefined;
  const spec = asRecord(view.object.spec);
  const namespace = view.object.metadata?.namespace || 'default';
  const [key, peersKey] = direction === 'Ingress' ? (['ingress', 'from'] as const) : (['egress', 'to'] as const);
  const out: PolicyRule[] = [];
  asArray(spec[key]).forEach((rule, index) => {
    if (!isRecord(rule)) return;
    const rawPeers = asArray(rule[peersKey]);
    const rawPorts = asArray(rule.ports);
    out.push({
      direction,
      policy: `${namespace}/${view.name}`,
      namespace,
      index,
      peers: rawPeers.length === 0 ? 'all' : rawPeers.map(parsePeer).filter((p): p is Peer => p !== undefined),
      ports: rawPorts.length === 0 ? 'all' : rawPorts.map(parsePort).filter((p): p is PortSpec => p !== undefined),
    });
  });
  return out;
}
