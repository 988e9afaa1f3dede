import { isOpenToAll, openToAllReason } from '../k8s/cidr';
import type { SourceLocation } from '../manifest/source-location';
import { asArray, isRecord, K8sObject } from '../k8s/k8s-object';
import { LabelSelector, matchesLabels } from '../k8s/label-selector';
import { networkPoliciesIn } from '../k8s/network-policy';
import { ObjectIndex } from '../k8s/object-index';
import { containersOf, podViewOf } from '../k8s/pod-template';
import { PodPeer, PolicyRule, policyRules } from './policy-rules';
import {
  allPortsOf,
  ANY_PORT,
  formatPorts,
  isEmptyPortSet,
  NamedPort,
  PortRange,
  PortSet,
  Protocol,
  PROTOCOLS,
  unionPorts,
  intersectPorts,
  portSet,
} from './port-set';
import { formatSelector } from './selector-text';
import { byCodePoint } from '../util/by-code-point';
import { WorkloadIndex } from './workload-index';

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
  /**
   * Whether its pods use the node's network (`hostNetwork: true`). NetworkPolicies do not reliably apply to such pods
   * (the Kubernetes documentation leaves it undefined), so the graph treats them as selected by none: open both ways,
   * and not matched by pod selectors as a peer of others.
   */
  readonly hostNetwork: boolean;
  /** Whether some NetworkPolicy of its namespace selects it with policyTypes including Ingress. */
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  /** Why any pod or address may reach it, one sentence each; empty when its ingress is restricted. */
  readonly openToAll: readonly string[];
  readonly source?: SourceLocation;
}

/** A selector of a NetworkPolicy that picks no workload of the input, although its namespace has workloads. */
export interface SelectorFinding {
  /** `namespace/name` of the policy. */
  readonly policy: string;
  /** `podSelector`, or the peer: `ingress[0].from[1]`. */
  readonly where: string;
  /** The selector as text (`app=api`), `{}` for an empty one. */
  readonly selector: string;
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
  /** Selectors that match nothing in the input (a typo, or a workload that was removed): what they allow is dead. */
  readonly unmatchedSelectors: readonly SelectorFinding[];
}

export const NOT_ISOLATED = 'not isolated';
export const ANYWHERE_ID = 'outside:anywhere';
/** A namespace name no selector can mention (it is not a valid name), standing for "any namespace not in the input". */
const OTHER_NAMESPACE = '*';

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
  readonly hostNetwork: boolean;
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
    hostNetwork: pod.spec.hostNetwork === true,
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

function ruleName(rule: PolicyRule): string {
  return `${rule.policy} ${rule.direction.toLowerCase()}[${rule.index}]`;
}

interface Edge {
  ports: PortSet;
  readonly egress: Set<string>;
  readonly ingress: Set<string>;
  readonly outside: boolean;
}

/** Ports one side allows for a pair, and the rules (or `not isolated`) that allow them. */
interface Allowance {
  ports: PortSet;
  readonly via: Set<string>;
}

/** A workload's rules in one direction, split by whom they name. */
interface SideRules {
  /** Undefined when no policy selects the workload in this direction: it allows everything. */
  readonly rules: readonly PolicyRule[] | undefined;
  /** Rules without peers (`from`/`to` missing): they allow every workload, on their ports. */
  readonly toAll: readonly PolicyRule[];
}

/**
 * Computes reachability over the NetworkPolicies, Namespaces and pod templates of `objects`. Pairs are found through
 * a label index (the workloads each rule's peers select, the workloads each policy selects) instead of by trying
 * every pair, so the work grows with the input and the connections it allows, not with workloads squared.
 */
class ReachabilityModel {
  private readonly index: ObjectIndex;
  private readonly namespaces: Map<string, NamespaceInfo>;
  private readonly drafts: WorkloadDraft[];
  private readonly position = new Map<string, number>();
  /** Workloads pod selectors can pick: hostNetwork pods are not told apart from their node by network plugins. */
  private readonly selectable: WorkloadIndex<WorkloadDraft>;
  /** The namespaces of the input by label (all in one bucket), for namespaceSelectors. */
  private readonly namespaceIndex: WorkloadIndex<{
    readonly namespace: '';
    readonly labels: Record<string, string>;
    readonly name: string;
  }>;
  private readonly ingress = new Map<string, SideRules>();
  private readonly egress = new Map<string, SideRules>();
  private readonly outside = new Map<string, OutsideNode>();
  private readonly edges = new Map<string, Map<string, Edge>>();
  private readonly unmatched: SelectorFinding[] = [];

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
    this.drafts.forEach((w, i) => this.position.set(w.id, i));
    this.namespaces = namespacesOf(objects, this.drafts);
    this.selectable = new WorkloadIndex(this.drafts.filter((w) => !w.hostNetwork));
    this.namespaceIndex = new WorkloadIndex(
      [...this.namespaces.values()].map((n) => ({ namespace: '', labels: n.labels, name: n.name }) as const),
    );
    this.readPolicies();
  }

  /** Every policy once: the workloads it selects get its rules; a selector that picks nothing is noted. */
  private readPolicies(): void {
    const collected = new Map<string, { Ingress?: PolicyRule[]; Egress?: PolicyRule[] }>();
    const withWorkloads = new Set(this.drafts.map((w) => w.namespace));
    for (const namespace of [...this.namespaces.keys()].sort(byCodePoint)) {
      for (const view of networkPoliciesIn(this.index, namespace)) {
        if (!view.podSelector) continue;
        const selected = this.selectable.select(namespace, view.podSelector);
        if (selected.length === 0 && withWorkloads.has(namespace)) {
          this.unmatched.push({
            policy: `${namespace}/${view.name}`,
            where: 'podSelector',
            selector: formatSelector(view.podSelector) || '{}',
          });
        }
        for (const direction of ['Ingress', 'Egress'] as const) {
          const own = policyRules(view, direction);
          if (!own) continue;
          for (const w of selected) {
            let entry = collected.get(w.id);
            if (!entry) collected.set(w.id, (entry = {}));
            (entry[direction] ??= []).push(...own);
          }
          for (const rule of own) this.noteUnmatchedPeers(rule, withWorkloads);
        }
      }
    }
    for (const w of this.drafts) {
      const entry = collected.get(w.id);
      this.ingress.set(w.id, sideRules(entry?.Ingress));
      this.egress.set(w.id, sideRules(entry?.Egress));
    }
  }

  private noteUnmatchedPeers(rule: PolicyRule, withWorkloads: ReadonlySet<string>): void {
    if (rule.peers === 'all') return;
    const key = rule.direction === 'Ingress' ? 'ingress' : 'egress';
    const peersKey = rule.direction === 'Ingress' ? 'from' : 'to';
    rule.peers.forEach((peer, i) => {
      if (peer.kind !== 'pods') return;
      const namespaces = this.peerNamespaces(rule, peer);
      if (peer.namespaces !== 'own' && this.outsideNamespaces(peer.namespaces).length > 0) return;
      if (!namespaces.some((ns) => withWorkloads.has(ns))) return;
      if (namespaces.some((ns) => this.selectable.select(ns, peer.pods).length > 0)) return;
      const pods = formatSelector(peer.pods) || '{}';
      const where = `${key}[${rule.index}].${peersKey}[${i}]`;
      this.unmatched.push({ policy: rule.policy, where, selector: pods });
    });
  }

  /** Namespaces of the input a pod peer's pods may be in. */
  private peerNamespaces(rule: PolicyRule, peer: PodPeer): readonly string[] {
    if (peer.namespaces === 'own') return [rule.namespace];
    return this.namespaceIndex.select('', peer.namespaces).map((n) => n.name);
  }

  /** Workloads of the input a rule's peers pick. */
  private peerWorkloads(rule: PolicyRule): WorkloadDraft[] {
    if (rule.peers === 'all') return [];
    const out: WorkloadDraft[] = [];
    for (const peer of rule.peers) {
      if (peer.kind !== 'pods') continue;
      for (const ns of this.peerNamespaces(rule, peer)) out.push(...this.selectable.select(ns, peer.pods));
    }
    return out;
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
    egress: Iterable<string>,
    ingress: Iterable<string>,
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

  /** What a side allows every workload: all ports when not isolated, else the ports of its rules without peers. */
  private openAllowance(side: SideRules, destination: WorkloadDraft): Allowance | undefined {
    if (side.rules === undefined) return { ports: ANY_PORT, via: new Set([NOT_ISOLATED]) };
    let out: Allowance | undefined;
    for (const rule of side.toAll) out = addAllowance(out, this.portsOf(rule, destination), ruleName(rule));
    return out;
  }

  /** For each workload of the input, what `rules` allow it by naming it in their peers. */
  private namedAllowances(
    rules: readonly PolicyRule[] | undefined,
    self: WorkloadDraft,
    destinationOf: (peer: WorkloadDraft) => WorkloadDraft,
  ): Map<WorkloadDraft, Allowance> {
    const out = new Map<WorkloadDraft, Allowance>();
    for (const rule of rules ?? []) {
      for (const peer of this.peerWorkloads(rule)) {
        if (peer === self) continue;
        const ports = this.portsOf(rule, destinationOf(peer));
        const merged = addAllowance(out.get(peer), ports, ruleName(rule));
        if (merged) out.set(peer, merged);
      }
    }
    return out;
  }

  /** Connections between workloads: the source's egress and the destination's ingress must both allow them. */
  private connectWorkloads(): void {
    const n = this.drafts.length;
    const namedEgress = this.drafts.map((a) => this.namedAllowances(this.egress.get(a.id)?.rules, a, (b) => b));
    const namedIngress = this.drafts.map((b) => this.namedAllowances(this.ingress.get(b.id)?.rules, b, () => b));
    const side = (map: Map<string, SideRules>, w: WorkloadDraft) => map.get(w.id) as SideRules;
    const opensToAll = (s: SideRules) => s.rules === undefined || s.toAll.length > 0;
    const pairs = new Set<number>();
    const consider = (a: WorkloadDraft, b: WorkloadDraft) => {
      if (a === b) return; // traffic between replicas of one workload is not drawn
      const ia = this.rank(a.id);
      const ib = this.rank(b.id);
      const key = ia * n + ib;
      if (pairs.has(key)) return;
      pairs.add(key);
      const egress = union(this.openAllowance(side(this.egress, a), b), namedEgress[ia].get(b));
      if (!egress) return;
      const ingress = union(this.openAllowance(side(this.ingress, b), b), namedIngress[ib].get(a));
      if (!ingress) return;
      this.addEdge(a.id, b.id, intersectPorts(egress.ports, ingress.ports), egress.via, ingress.via, false);
    };
    this.drafts.forEach((a, i) => namedEgress[i].forEach((_, b) => consider(a, b)));
    this.drafts.forEach((b, i) => namedIngress[i].forEach((_, a) => consider(a, b)));
    // Pairs neither side names: only sides open to every workload can connect them (output-sized, inherently).
    const openSources = this.drafts.filter((a) => opensToAll(side(this.egress, a)));
    const openDestinations = this.drafts.filter((b) => opensToAll(side(this.ingress, b)));
    for (const a of openSources) for (const b of openDestinations) consider(a, b);
  }

  private rank(id: string): number {
    return this.position.get(id) ?? -1;
  }

  private openToAll(w: WorkloadDraft): string[] {
    const rules = this.ingress.get(w.id)?.rules;
    if (w.hostNetwork) return ['it uses the node network (hostNetwork), where NetworkPolicies do not apply'];
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
          if (!isOpenToAll(peer.cidr)) continue;
          const except = peer.except.length ? ` except ${peer.except.join(', ')}` : '';
          reasons.push(`${ruleName(rule)} admits ipBlock ${peer.cidr}${except} ${on}`);
        } else if (peer.namespaces !== 'own' && this.outsideNamespaces(peer.namespaces).includes(OTHER_NAMESPACE)) {
          const pods = formatSelector(peer.pods);
          const who = pods ? `pods labelled ${pods}` : 'every pod';
          reasons.push(`${ruleName(rule)} admits ${who} of any namespace ${on}`);
        }
      }
      // ipBlocks that are each narrow can still admit the internet together.
      const blocks = rule.peers.flatMap((p) => (p.kind === 'ipBlock' && !isOpenToAll(p.cidr) ? [p.cidr] : []));
      const together = blocks.length > 1 ? openToAllReason(blocks) : undefined;
      if (together) reasons.push(`${ruleName(rule)} admits ipBlocks ${blocks.join(', ')} (${together}) ${on}`);
    }
    return reasons;
  }

  build(): NetworkGraph {
    const drafts = this.drafts;
    this.connectWorkloads();
    for (const w of drafts) {
      const ingressRules = this.ingress.get(w.id)?.rules;
      if (ingressRules === undefined) this.addEdge(this.anywhere(), w.id, ANY_PORT, [], [NOT_ISOLATED], true);
      for (const rule of ingressRules ?? []) {
        const ports = this.portsOf(rule, w);
        for (const id of this.outsidePeers(rule)) this.addEdge(id, w.id, ports, [], [ruleName(rule)], true);
      }
      const egressRules = this.egress.get(w.id)?.rules;
      if (egressRules === undefined) this.addEdge(w.id, this.anywhere(), ANY_PORT, [NOT_ISOLATED], [], true);
      for (const rule of egressRules ?? []) {
        const ports = this.portsOf(rule, undefined);
        for (const id of this.outsidePeers(rule)) this.addEdge(w.id, id, ports, [ruleName(rule)], [], true);
      }
    }
    const workloads: Workload[] = drafts.map((d) => ({
      ...d,
      ingressIsolated: this.ingress.get(d.id)?.rules !== undefined,
      egressIsolated: this.egress.get(d.id)?.rules !== undefined,
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
    const unmatchedSelectors = [...this.unmatched].sort(
      (x, y) => byCodePoint(x.policy, y.policy) || byCodePoint(x.where, y.where),
    );
    return { namespaces, workloads, outside, connections, unmatchedSelectors };
  }
}

function sideRules(rules: readonly PolicyRule[] | undefined): SideRules {
  return { rules, toAll: (rules ?? []).filter((r) => r.peers === 'all') };
}

function addAllowance(into: Allowance | undefined, ports: PortSet, via: string): Allowance | undefined {
  if (isEmptyPortSet(ports)) return into;
  if (!into) return { ports, via: new Set([via]) };
  into.ports = unionPorts(into.ports, ports);
  into.via.add(via);
  return into;
}

function union(a: Allowance | undefined, b: Allowance | undefined): Allowance | undefined {
  if (!a || !b) return a ?? b;
  return { ports: unionPorts(a.ports, b.ports), via: new Set([...a.via, ...b.via]) };
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
