import { formatPorts } from '../../lib/graph/port-set';
import { NetworkGraph } from '../../lib/graph/reachability';
import { K8sObject } from '../../lib/k8s/k8s-object';

/** Small builders for hand-written reachability cases. */
export function namespace(name: string, labels?: Record<string, string>): K8sObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}

export interface PortDecl {
  readonly containerPort: number;
  readonly name?: string;
  readonly protocol?: string;
}

export function deployment(
  ns: string,
  name: string,
  labels: Record<string, string> = { app: name },
  ports: readonly PortDecl[] = [],
): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'main', image: 'registry.example/app@sha256:0', ports }] },
      },
    },
  };
}

export function networkPolicy(ns: string, name: string, spec: Record<string, unknown>): K8sObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

/** `ns/name` for workloads, `[label]` for outside nodes. */
function nodeName(graph: NetworkGraph, id: string): string {
  const w = graph.workloads.find((x) => x.id === id);
  if (w) return `${w.namespace}/${w.name}`;
  const o = graph.outside.find((x) => x.id === id);
  if (!o) throw new Error(`connection to unknown node ${id}`);
  return `[${o.label}]`;
}

/** Every connection as `from -> to: ports`. */
export function allEdges(graph: NetworkGraph): string[] {
  return graph.connections.map(
    (c) => `${nodeName(graph, c.from)} -> ${nodeName(graph, c.to)}: ${formatPorts(c.ports)}`,
  );
}

/** Connections between workloads of the input only. */
export function podEdges(graph: NetworkGraph): string[] {
  return graph.connections
    .filter((c) => !c.outside)
    .map((c) => `${nodeName(graph, c.from)} -> ${nodeName(graph, c.to)}: ${formatPorts(c.ports)}`);
}

/** Workloads open to all, as `ns/name`. */
export function openNames(graph: NetworkGraph): string[] {
  return graph.workloads.filter((w) => w.openToAll.length > 0).map((w) => `${w.namespace}/${w.name}`);
}

/** front/web may only talk to back/api on its named port; back denies ingress but not egress; web is not isolated for ingress. */
export const SMALL_CASE: K8sObject[] = [
  deployment('front', 'web'),
  deployment('back', 'api', { app: 'api' }, [{ containerPort: 8080, name: 'http' }]),
  networkPolicy('back', 'deny-ingress', { podSelector: {} }),
  networkPolicy('back', 'api-from-web', {
    podSelector: { matchLabels: { app: 'api' } },
    ingress: [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'front' } },
            podSelector: { matchLabels: { app: 'web' } },
          },
        ],
        ports: [{ port: 'http' }],
      },
    ],
  }),
  networkPolicy('front', 'web-egress', {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } }] }],
  }),
];
