import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CidrPeer, NetworkPeer, policyPeer } from './network-peer';
import { rejectUnknownProps } from '../construct/known-props';
import { HardeningGuard } from '../construct/hardening-guard';

interface Opening {
  /** Pods, or an external address range. */
  readonly peer: NetworkPeer | CidrPeer;
  readonly port: number;
  readonly protocol: Protocol;
}

/** Transport protocol of an opening. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

function key(o: Opening): string {
  const p = o.peer;
  const port = `${o.port}/${o.protocol}`;
  return 'cidr' in p
    ? `cidr|${p.cidr}|${JSON.stringify(p.except ?? [])}|${port}`
    : `${p.namespace}|${JSON.stringify(p.podLabels)}|${port}`;
}

/** Openings in the order they were made, each once (a Map keyed by peer and port keeps `add` O(1)). */
type Openings = Map<string, Opening>;

function add(openings: Openings, o: Opening): void {
  const k = key(o);
  if (!openings.has(k)) openings.set(k, o);
}

function ipBlock(p: CidrPeer): Record<string, unknown> {
  return p.except?.length ? { cidr: p.cidr, except: [...p.except] } : { cidr: p.cidr };
}

function rules(openings: Openings, namespace: string, direction: 'from' | 'to') {
  return [...openings.values()].map((o) => ({
    [direction]: ['cidr' in o.peer ? { ipBlock: ipBlock(o.peer) } : policyPeer(o.peer, namespace)],
    ports: [{ protocol: o.protocol, port: o.port }],
  }));
}

function meta(props: WorkloadNetworkPoliciesProps): Record<string, unknown> {
  const annotations = props.annotations ?? {};
  return {
    labels: { ...props.labels },
    ...(Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
  };
}

export interface WorkloadNetworkPoliciesProps {
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations of both policies (the exemption from network-policy-broad-ip-block, when granted). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * @internal Guards the policies on behalf of the workload: removing one from the tree or patching its selector,
   * types or rules fails synthesis. @default unguarded
   */
  readonly guard?: HardeningGuard;
}

const CONSEQUENCE = {
  Ingress: "without it the workload's pods accept traffic from anywhere",
  Egress: "without it the workload's pods may connect anywhere",
} as const;

/**
 * A workload's own NetworkPolicies: an ingress policy that admits exactly the peers opened with `allowFrom` (none by
 * default), and, once something is opened outbound, an egress policy admitting exactly those peers.
 * @see NSA/CISA "Network separation and hardening", OWASP K07 "Missing network segmentation controls"
 */
export class WorkloadNetworkPolicies extends Construct {
  private readonly ingress: Openings = new Map();
  private readonly egress: Openings = new Map();
  private egressPolicy?: ApiObject;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: WorkloadNetworkPoliciesProps,
  ) {
    super(scope, id);
    rejectUnknownProps(this, props);
    const ingress = new ApiObject(this, 'Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${props.name}-ingress`, namespace: props.namespace, ...meta(props) },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes: ['Ingress'],
        ingress: Lazy.any({ produce: () => rules(this.ingress, props.namespace, 'from') }),
      },
    });
    this.guard(ingress, 'Ingress', () => rules(this.ingress, props.namespace, 'from'));
  }

  private guard(policy: ApiObject, type: 'Ingress' | 'Egress', produce: () => unknown): void {
    this.props.guard?.add(policy, CONSEQUENCE[type], 'open what the workload needs with allowFrom/allowTo', () => [
      { path: ['spec', 'podSelector'], value: { matchLabels: { ...this.props.podLabels } } },
      { path: ['spec', 'policyTypes'], value: [type] },
      { path: ['spec', type.toLowerCase()], value: produce() },
    ]);
  }

  /** Opens ingress from an address range outside the cluster (a load balancer's allowed clients). */
  public allowIngressFromCidr(cidr: string, port: number, protocol: Protocol = 'TCP'): void {
    add(this.ingress, { peer: { cidr }, port, protocol });
  }

  /** Opens ingress from pods, or from an address range outside the cluster. */
  public allowIngress(peer: NetworkPeer | CidrPeer, port: number, protocol: Protocol = 'TCP'): void {
    add(this.ingress, { peer, port, protocol });
  }

  /** Whether anything was opened outbound (read at synth time: allowTo may be called after construction). */
  public get hasEgress(): boolean {
    return this.egress.size > 0;
  }

  /** Opens egress to pods, or to an address range outside the cluster. */
  public allowEgress(peer: NetworkPeer | CidrPeer, port: number, protocol: Protocol = 'TCP'): void {
    add(this.egress, { peer, port, protocol });
    if (this.egressPolicy) return;
    this.egressPolicy = new ApiObject(this, 'Egress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: `${this.props.name}-egress`,
        namespace: this.props.namespace,
        ...meta(this.props),
      },
      spec: {
        podSelector: { matchLabels: { ...this.props.podLabels } },
        policyTypes: ['Egress'],
        egress: Lazy.any({ produce: () => rules(this.egress, this.props.namespace, 'to') }),
      },
    });
    this.guard(this.egressPolicy, 'Egress', () => rules(this.egress, this.props.namespace, 'to'));
  }
}
