import type { SourceLocation } from '../manifest/source-location';
import { asArray, isRecord, K8sObject } from '../k8s/k8s-object';
import { LabelSelector, matchesLabels } from '../k8s/label-selector';
import { networkPoliciesIn, PolicyType } from '../k8s/network-policy';
import { ObjectIndex } from '../k8s/object-index';
import { containersOf, podViewOf } from '../k8s/pod-template';
import { PodPeer, PolicyRule, policyRules } from './policy-rules';
import {
  allPortsOf,
  ANY_PORT,
  formatPorts,
  isEmptyPortSet,
  NamedPort,
  NO_PORTS,
  PortRange,
  PortSet,
  Protocol,
  PROTOCOLS,
  unionPorts,
  intersectPorts,
  portSet,
} from './port-set';
import { formatSelector } from './selector-text';

/** The label the control plane sets on every namespace, whose value is the namespace's name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A Pod or a workload's pod template: one node of the graph. */
export interface Workload {
  /** `namespace/Kind/name`, unique in a graph. */
  readonly id: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Labels of the pods (the template's labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** Ports its containers declare, which named policy ports resolve against. */
  readonly ports: readonly ContainerPort[];
  /** Whether some NetworkPolicy of its namespace selects it with policyTypes including Ingress. */
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  /** Why any pod or address may reach it, one sentence each; empty when its ingress is restricted. */
  readonly openToAll: readonly string[];
  readonly source?: SourceLocation;
}

/**
 * Something outside the input a workload may talk to: `anywhere` (an unrestricted direction or a rule without
 * peers), an ipBlock, or pods in a namespace the input does not contain (`namespace` is `*` for any other).
 */
export type OutsideNode =
  | { readonly id: string; readonly kind: 'anywhere'; readonly label: string }
  | {
      readonly id: string;
      readonly kind: 'cidr';
      readonly label: string;
      readonly cidr: string;
      readonly except: readonly string[];
    }
  | {
      readonly id: string;
      readonly kind: 'pods';
      readonly label: string;
      readonly namespace: string;
      readonly pods: string;
    };

/** Traffic `from` may open to `to`, on `ports`. */
export interface Connection {
  readonly from: string;
  readonly to: string;
  readonly ports: PortSet;
  /** Rules that let it leave the source (`ns/policy egress[i]`), or `not isolated`; empty when the source is outside. */
  readonly egress: readonly string[];
  /** Rules that let it into the destination (`ns/policy ingress[i]`), or `not isolated`; empty when outside. */
  readonly ingress: readonly string[];
  /** True when one end is outside the input, so only the other end's policies are known. */
  readonly outside: boolean;
}

export interface NamespaceInfo {
  readonly name: string;
  /** Labels NetworkPolicy namespaceSelectors see: the Namespace object's plus `kubernetes.io/metadata.name`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Whether the input has the Namespace object (otherwise it is known from the objects in it). */
  readonly declared: boolean;
}

/** Who can reach whom, as allowed by the NetworkPolicies of the input. */
export interface NetworkGraph {
  readonly namespaces: readonly NamespaceInfo[];
  readonly workloads: readonly Workload[];
  readonly outside: readonly OutsideNode[];
  readonly connections: readonly Connection[];
}

export const NOT_ISOLATED = 'not isolated';
export const ANYWHERE_ID = 'outside:anywhere';
/** A namespace name no selector can mention (it is not a valid name), standing for "any namespace not in the input". */
const OTHER_NAMESPACE = '*';

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stringLabels(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function protocolOf(value: unknown): Protocol | undefined {
  if (value === undefined || value === null) return 'TCP';
  return PROTOCOLS.find((p) => p === value);
}

/** Kinds whose pods the graph shows (every kind with a pod template but PodTemplate, which runs nothing). */
function isWorkloadKind(kind: string): boolean {
  return kind !== 'PodTemplate';
}

interface WorkloadDraft {
  readonly id: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ports: ContainerPort[];
  readonly source?: SourceLocation;
}

function workloadOf(object: K8sObject, sources?: ReadonlyMap<K8sObject, SourceLocation>): WorkloadDraft | undefined {
  if (!isWorkloadKind(object.kind)) return undefined;
  const pod = podViewOf(object);
  if (!pod) return undefined;
  const namespace = object.metadata?.namespace || 'default';
  const name = object.metadata?.name ?? '<unnamed>';
  const ports: ContainerPort[] = [];
  for (const c of containersOf(pod)) {
    if (c.kind === 'ephemeralContainers') continue;
    for (const p of asArray(c.container.ports)) {
      if (!isRecord(p) || typeof p.containerPort !== 'number') continue;
      const protocol = protocolOf(p.protocol);
      if (!protocol) continue;
      ports.push({ ...(typeof p.name === 'string' ? { name: p.name } : {}), port: p.containerPort, protocol });
    }
  }
  const source = sources?.get(object);
  return {
    id: `${namespace}/${object.kind}/${name}`,
    kind: object.kind,
    namespace,
    name,
    labels: stringLabels(pod.metadata.labels),
    ports,
    ...(source ? { source } : {}),
  };
}

function namespacesOf(objects: readonly K8sObject[], workloads: readonly WorkloadDraft[]): Map<string, NamespaceInfo> {
  const out = new Map<string, NamespaceInfo>();
  for (const o of objects) {
    if (o.kind !== 'Namespace' || !o.metadata?.name) continue;
    const name = o.metadata.name;
    out.set(name, {
      name,
      labels: { ...stringLabels(o.metadata.labels), [NAMESPACE_NAME_LABEL]: name },
      declared: true,
    });
  }
  const implied = [
    ...workloads.map((w) => w.namespace),
    ...objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata?.namespace || 'default'),
  ];
  for (const name of implied) {
    if (!out.has(name)) out.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false });
  }
  return out;
}

/** Namespace names a selector mentions through `kubernetes.io/metadata.name`. */
function namedNamespaces(selector: LabelSelector): string[] {
  const names = new Set<string>();
  const byLabel = selector.matchLabels?.[NAMESPACE_NAME_LABEL];
  if (byLabel !== undefined) names.add(byLabel);
  for (const e of selector.matchExpressions ?? []) {
    if (e.key === NAMESPACE_NAME_LABEL) for (const v of e.values ?? []) names.add(v);
  }
  return [...names].sort(byCodePoint);
}

function isWholeInternet(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

function ruleName(rule: PolicyRule): string {
  return `${rule.policy} ${rule.direction.toLowerCase()}[${rule.index}]`;
}

interface Edge {
  ports: PortSet;
  readonly egress: Set<string>;
  readonly ingress: Set<string>;
  readonly outside: boolean;
}

/** Computes reachability over the NetworkPolicies, Namespaces and pod templates of `objects`. */
class ReachabilityModel {
  private readonly index: ObjectIndex;
  private readonly namespaces: Map<string, NamespaceInfo>;
  private readonly drafts: WorkloadDraft[];
  private readonly ingressRules = new Map<string, readonly PolicyRule[] | undefined>();
  private readonly egressRules = new Map<string, readonly PolicyRule[] | undefined>();
  private readonly outside = new Map<string, OutsideNode>();
  private readonly edges = new Map<string, Map<string, Edge>>();

  constructor(objects: readonly K8sObject[], sources?: ReadonlyMap<K8sObject, SourceLocation>) {
    this.index = new ObjectIndex(objects);
    const byId = new Map<string, WorkloadDraft>();
    for (const o of objects) {
      const w = workloadOf(o, sources);
      if (w && !byId.has(w.id)) byId.set(w.id, w);
    }
    this.drafts = [...byId.values()].sort(
      (a, b) => byCodePoint(a.namespace, b.namespace) || byCodePoint(a.name, b.name) || byCodePoint(a.kind, b.kind),
    );
    this.namespaces = namespacesOf(objects, this.drafts);
    for (const w of this.drafts) {
      this.ingressRules.set(w.id, this.rulesFor(w, 'Ingress'));
      this.egressRules.set(w.id, this.rulesFor(w, 'Egress'));
    }
  }

  /** Rules of every policy selecting the workload in a direction; undefined when none does (not isolated). */
  private rulesFor(w: WorkloadDraft, direction: PolicyType): readonly PolicyRule[] | undefined {
    let rules: PolicyRule[] | undefined;
    for (const view of networkPoliciesIn(this.index, w.namespace)) {
      if (!view.podSelector || !matchesLabels(view.podSelector, w.labels)) continue;
      const own = policyRules(view, direction);
      if (own) (rules ??= []).push(...own);
    }
    return rules;
  }

  private namespaceLabels(name: string): Readonly<Record<string, string>> {
    return this.namespaces.get(name)?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
  }

  private peerSelects(rule: PolicyRule, peer: PodPeer, w: WorkloadDraft): boolean {
    const inNamespace =
      peer.namespaces === 'own'
        ? w.namespace === rule.namespace
        : matchesLabels(peer.namespaces, this.namespaceLabels(w.namespace));
    return inNamespace && matchesLabels(peer.pods, w.labels);
  }

  private admits(rule: PolicyRule, w: WorkloadDraft): boolean {
    return rule.peers === 'all' || rule.peers.some((p) => p.kind === 'pods' && this.peerSelects(rule, p, w));
  }

  /** The rule's ports, named ports resolved against the destination's containers (kept as names when it is outside). */
  private portsOf(rule: PolicyRule, destination: WorkloadDraft | undefined): PortSet {
    if (rule.ports === 'all') return ANY_PORT;
    const ranges: PortRange[] = [];
    const named: NamedPort[] = [];
    for (const spec of rule.ports) {
      if (spec.kind === 'all') ranges.push(allPortsOf(spec.protocol));
      else if (spec.kind === 'number') ranges.push({ protocol: spec.protocol, from: spec.from, to: spec.to });
      else if (!destination) named.push({ protocol: spec.protocol, name: spec.name });
      else {
        for (const p of destination.ports) {
          if (p.name === spec.name && p.protocol === spec.protocol)
            ranges.push({ protocol: p.protocol, from: p.port, to: p.port });
        }
      }
    }
    return portSet(ranges, named);
  }

  /** Namespaces outside the input a selector matches: named ones, and `*` when it matches any unnamed one. */
  private outsideNamespaces(selector: LabelSelector): string[] {
    const out: string[] = [];
    for (const name of namedNamespaces(selector)) {
      if (!this.namespaces.has(name) && matchesLabels(selector, { [NAMESPACE_NAME_LABEL]: name })) out.push(name);
    }
    if (matchesLabels(selector, { [NAMESPACE_NAME_LABEL]: OTHER_NAMESPACE })) out.push(OTHER_NAMESPACE);
    return out;
  }

  private outsideNode(node: OutsideNode): string {
    if (!this.outside.has(node.id)) this.outside.set(node.id, node);
    return node.id;
  }

  private anywhere(): string {
    return this.outsideNode({ id: ANYWHERE_ID, kind: 'anywhere', label: 'anywhere' });
  }

  /** Outside nodes a rule's peers name (pods of namespaces not in the input, ipBlocks, anywhere). */
  private outsidePeers(rule: PolicyRule): string[] {
    if (rule.peers === 'all') return [this.anywhere()];
    const ids: string[] = [];
    for (const peer of rule.peers) {
      if (peer.kind === 'ipBlock') {
        const label = peer.except.length ? `${peer.cidr} except ${peer.except.join(', ')}` : peer.cidr;
        ids.push(
          this.outsideNode({ id: `outside:cidr:${label}`, kind: 'cidr', label, cidr: peer.cidr, except: peer.except }),
        );
        continue;
      }
      if (peer.namespaces === 'own') continue; // the policy's namespace is in the input: its pods are workloads
      const pods = formatSelector(peer.pods);
      for (const ns of this.outsideNamespaces(peer.namespaces)) {
        const where = ns === OTHER_NAMESPACE ? 'any other namespace' : ns;
        ids.push(
          this.outsideNode({
            id: `outside:pods:${ns}:${pods}`,
            kind: 'pods',
            label: `${where}: ${pods || 'all pods'}`,
            namespace: ns,
            pods,
          }),
        );
      }
    }
    return ids;
  }

  private addEdge(
    from: string,
    to: string,
    ports: PortSet,
    egress: readonly string[],
    ingress: readonly string[],
    outside: boolean,
  ): void {
    if (isEmptyPortSet(ports)) return;
    let row = this.edges.get(from);
    if (!row) this.edges.set(from, (row = new Map()));
    const edge = row.get(to);
    if (edge) {
      edge.ports = unionPorts(edge.ports, ports);
      for (const e of egress) edge.egress.add(e);
      for (const i of ingress) edge.ingress.add(i);
    } else {
      row.set(to, { ports, egress: new Set(egress), ingress: new Set(ingress), outside });
    }
  }

  /** Ports `rules` open towards/from `peer` at `destination`, and which rules open them. */
  private allowed(
    rules: readonly PolicyRule[] | undefined,
    peer: WorkloadDraft,
    destination: WorkloadDraft,
  ): { ports: PortSet; via: string[] } {
    if (rules === undefined) return { ports: ANY_PORT, via: [NOT_ISOLATED] };
    let ports = NO_PORTS;
    const via: string[] = [];
    for (const rule of rules) {
      if (!this.admits(rule, peer)) continue;
      const p = this.portsOf(rule, destination);
      if (isEmptyPortSet(p)) continue;
      ports = unionPorts(ports, p);
      via.push(ruleName(rule));
    }
    return { ports, via };
  }

  private openToAll(w: WorkloadDraft): string[] {
    const rules = this.ingressRules.get(w.id);
    if (rules === undefined) return ['no NetworkPolicy selects it for ingress'];
    const reasons: string[] = [];
    for (const rule of rules) {
      const ports = this.portsOf(rule, w);
      if (isEmptyPortSet(ports)) continue;
      const on = `on ports ${formatPorts(ports)}`;
      if (rule.peers === 'all') {
        reasons.push(`${ruleName(rule)} has no 'from': any source ${on}`);
        continue;
      }
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock') {
          if (!isWholeInternet(peer.cidr)) continue;
          const except = peer.except.length ? ` except ${peer.except.join(', ')}` : '';
          reasons.push(`${ruleName(rule)} admits ipBlock ${peer.cidr}${except} ${on}`);
        } else if (peer.namespaces !== 'own' && this.outsideNamespaces(peer.namespaces).includes(OTHER_NAMESPACE)) {
          const pods = formatSelector(peer.pods);
          const who = pods ? `pods labelled ${pods}` : 'every pod';
          reasons.push(`${ruleName(rule)} admits ${who} of any namespace ${on}`);
        }
      }
    }
    return reasons;
  }

  build(): NetworkGraph {
    const drafts = this.drafts;
    for (const a of drafts) {
      const egressRules = this.egressRules.get(a.id);
      for (const b of drafts) {
        if (a === b) continue; // traffic between replicas of one workload is not drawn
        const egress = this.allowed(egressRules, b, b);
        if (isEmptyPortSet(egress.ports)) continue;
        const ingress = this.allowed(this.ingressRules.get(b.id), a, b);
        this.addEdge(a.id, b.id, intersectPorts(egress.ports, ingress.ports), egress.via, ingress.via, false);
      }
    }
    for (const w of drafts) {
      const ingressRules = this.ingressRules.get(w.id);
      if (ingressRules === undefined) this.addEdge(this.anywhere(), w.id, ANY_PORT, [], [NOT_ISOLATED], true);
      for (const rule of ingressRules ?? []) {
        const ports = this.portsOf(rule, w);
        for (const id of this.outsidePeers(rule)) this.addEdge(id, w.id, ports, [], [ruleName(rule)], true);
      }
      const egressRules = this.egressRules.get(w.id);
      if (egressRules === undefined) this.addEdge(w.id, this.anywhere(), ANY_PORT, [NOT_ISOLATED], [], true);
      for (const rule of egressRules ?? []) {
        const ports = this.portsOf(rule, undefined);
        for (const id of this.outsidePeers(rule)) this.addEdge(w.id, id, ports, [ruleName(rule)], [], true);
      }
    }
    const workloads: Workload[] = drafts.map((d) => ({
      ...d,
      ingressIsolated: this.ingressRules.get(d.id) !== undefined,
      egressIsolated: this.egressRules.get(d.id) !== undefined,
      openToAll: this.openToAll(d),
    }));
    const kindOrder = ['anywhere', 'cidr', 'pods'];
    const outside = [...this.outside.values()].sort(
      (a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || byCodePoint(a.label, b.label),
    );
    const connections: Connection[] = [];
    for (const [from, row] of this.edges) {
      for (const [to, e] of row) {
        connections.push({
          from,
          to,
          ports: e.ports,
          egress: [...e.egress].sort(byCodePoint),
          ingress: [...e.ingress].sort(byCodePoint),
          outside: e.outside,
        });
      }
    }
    const order = new Map([...workloads.map((w) => w.id), ...outside.map((o) => o.id)].map((id, i) => [id, i]));
    const rank = (id: string) => order.get(id) ?? -1;
    connections.sort((x, y) => rank(x.from) - rank(y.from) || rank(x.to) - rank(y.to));
    const namespaces = [...this.namespaces.values()].sort((x, y) => byCodePoint(x.name, y.name));
    return { namespaces, workloads, outside, connections };
  }
}

/**
 * Who can reach whom under the NetworkPolicies of `objects`, with Kubernetes semantics: policies are additive; a pod
 * no policy selects for a direction is open in that direction; a connection needs the source's egress and the
 * destination's ingress to allow it; a podSelector-only peer means the policy's namespace, a namespaceSelector-only
 * peer every pod of the matching namespaces, both in one peer both at once; a missing `from`/`to` or `ports` means
 * all; named ports resolve against the destination's container ports. Namespaces are known from Namespace objects
 * and the objects in them, and always carry `kubernetes.io/metadata.name`; a namespace not in the input has that
 * label only, and its pods (unknown) become outside nodes, like ipBlocks and unrestricted directions (`anywhere`).
 * Pod IPs are not matched against ipBlocks (they are meant for addresses outside the cluster).
 */
export function networkGraphOf(
  objects: readonly K8sObject[],
  sources?: ReadonlyMap<K8sObject, SourceLocation>,
): NetworkGraph {
  return new ReachabilityModel(objects, sources).build();
}

/** Workloads open to all (see Workload.openToAll). */
export function openWorkloads(graph: NetworkGraph): readonly Workload[] {
  return graph.workloads.filter((w) => w.openToAll.length > 0);
}
