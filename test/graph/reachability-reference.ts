import { policyRules, PolicyRule } from '../../lib/graph/policy-rules';
import {
  allPortsOf,
  ANY_PORT,
  formatPorts,
  intersectPorts,
  isEmptyPortSet,
  NO_PORTS,
  PortRange,
  portSet,
  PortSet,
  unionPorts,
} from '../../lib/graph/port-set';
import { NAMESPACE_NAME_LABEL, NetworkGraph, NOT_ISOLATED, Workload } from '../../lib/graph/reachability';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { matchesLabels } from '../../lib/k8s/label-selector';
import { networkPoliciesIn } from '../../lib/k8s/network-policy';
import { ObjectIndex } from '../../lib/k8s/object-index';

/**
 * The reachability between workloads by definition, pair by pair (quadratic): the oracle the indexed model is checked
 * against. Takes the workloads and namespaces the model found, and re-derives every connection between them.
 */
export function referenceConnections(objects: readonly K8sObject[], graph: NetworkGraph): string[] {
  const index = new ObjectIndex(objects);
  const nsLabels = new Map(graph.namespaces.map((n) => [n.name, n.labels]));
  const rulesFor = (w: Workload, direction: 'Ingress' | 'Egress'): PolicyRule[] | undefined => {
    if (w.hostNetwork) return undefined;
    let rules: PolicyRule[] | undefined;
    for (const view of networkPoliciesIn(index, w.namespace)) {
      if (!view.podSelector || !matchesLabels(view.podSelector, w.labels)) continue;
      const own = policyRules(view, direction);
      if (own) (rules ??= []).push(...own);
    }
    return rules;
  };
  const admits = (rule: PolicyRule, w: Workload): boolean =>
    rule.peers === 'all' ||
    (!w.hostNetwork &&
      rule.peers.some(
        (p) =>
          p.kind === 'pods' &&
          (p.namespaces === 'own'
            ? w.namespace === rule.namespace
            : matchesLabels(p.namespaces, nsLabels.get(w.namespace) ?? { [NAMESPACE_NAME_LABEL]: w.namespace })) &&
          matchesLabels(p.pods, w.labels),
      ));
  const portsOf = (rule: PolicyRule, destination: Workload): PortSet => {
    if (rule.ports === 'all') return ANY_PORT;
    const ranges: PortRange[] = [];
    for (const spec of rule.ports) {
      if (spec.kind === 'all') ranges.push(allPortsOf(spec.protocol));
      else if (spec.kind === 'number') ranges.push({ protocol: spec.protocol, from: spec.from, to: spec.to });
      else
        for (const p of destination.ports)
          if (p.name === spec.name && p.protocol === spec.protocol)
            ranges.push({ protocol: p.protocol, from: p.port, to: p.port });
    }
    return portSet(ranges);
  };
  const allowed = (rules: PolicyRule[] | undefined, peer: Workload, destination: Workload) => {
    if (rules === undefined) return { ports: ANY_PORT, via: [NOT_ISOLATED] };
    let ports = NO_PORTS;
    const via: string[] = [];
    for (const rule of rules) {
      if (!admits(rule, peer)) continue;
      const p = portsOf(rule, destination);
      if (isEmptyPortSet(p)) continue;
      ports = unionPorts(ports, p);
      via.push(`${rule.policy} ${rule.direction.toLowerCase()}[${rule.index}]`);
    }
    return { ports, via };
  };
  const out: string[] = [];
  for (const a of graph.workloads) {
    for (const b of graph.workloads) {
      if (a === b) continue;
      const egress = allowed(rulesFor(a, 'Egress'), b, b);
      if (isEmptyPortSet(egress.ports)) continue;
      const ingress = allowed(rulesFor(b, 'Ingress'), a, b);
      const ports = intersectPorts(egress.ports, ingress.ports);
      if (isEmptyPortSet(ports)) continue;
      out.push(describe(a.id, b.id, ports, egress.via, ingress.via));
    }
  }
  return out.sort();
}

export function describe(
  from: string,
  to: string,
  ports: PortSet,
  egress: readonly string[],
  ingress: readonly string[],
): string {
  const set = (xs: readonly string[]) => [...new Set(xs)].sort().join(',');
  return `${from} -> ${to}: ${formatPorts(ports)} egress(${set(egress)}) ingress(${set(ingress)})`;
}
