import fc from 'fast-check';
import { networkGraphOf } from '../../lib/graph/reachability';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { namespace, networkPolicy } from '../helpers/graph-objects';
import { describe as describeEdge, referenceConnections } from './reachability-reference';

const NAMESPACES = ['a', 'b'];
const labelValue = fc.constantFrom('x', 'y', 'z');
const labels = fc.record({ app: labelValue, tier: fc.constantFrom('web', 'db') }, { requiredKeys: [] });
const selector = fc.oneof(
  fc.constant({}),
  labels.map((l) => ({ matchLabels: l })),
  fc.record({
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({
          key: fc.constantFrom('app', 'tier'),
          operator: fc.constant('In'),
          values: fc.array(labelValue, { minLength: 1, maxLength: 2 }),
        }),
        fc.record({
          key: fc.constantFrom('app', 'tier'),
          operator: fc.constant('NotIn'),
          values: fc.array(labelValue, { minLength: 1, maxLength: 2 }),
        }),
        fc.record({ key: fc.constantFrom('app', 'tier'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);
const nsSelector = fc.oneof(
  fc.constant({}),
  fc.constantFrom(...NAMESPACES, 'elsewhere').map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })),
  fc.constant({ matchLabels: { team: 'blue' } }),
);
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: nsSelector }),
  fc.record({ podSelector: selector, namespaceSelector: nsSelector }),
  fc.constant({ ipBlock: { cidr: '10.0.0.0/8' } }),
);
const port = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 8080, 53) }),
  fc.record({ port: fc.constant('http') }),
  fc.record({ port: fc.constant(53), protocol: fc.constant('UDP') }),
  fc.record({ port: fc.constant(8000), endPort: fc.constant(8100) }),
);
const rule = (peersKey: 'from' | 'to') =>
  fc.record(
    { [peersKey]: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) },
    { requiredKeys: [] },
  );
const policySpec = fc.record(
  {
    podSelector: selector,
    policyTypes: fc.subarray(['Ingress', 'Egress']),
    ingress: fc.array(rule('from'), { maxLength: 2 }),
    egress: fc.array(rule('to'), { maxLength: 2 }),
  },
  { requiredKeys: ['podSelector'] },
);
const workload = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  labels,
  hostNetwork: fc.boolean(),
  named: fc.boolean(),
});
const input = fc.record({
  workloads: fc.array(workload, { minLength: 1, maxLength: 7 }),
  policies: fc.array(fc.record({ ns: fc.constantFrom(...NAMESPACES), spec: policySpec }), { maxLength: 6 }),
  blueNamespace: fc.boolean(),
});

type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

function objectsOf(i: Input): K8sObject[] {
  const objects: K8sObject[] = [namespace('a', i.blueNamespace ? { team: 'blue' } : {}), namespace('b')];
  i.workloads.forEach((w, n) => {
    const ports = w.named ? [{ containerPort: 8080, name: 'http' }] : [{ containerPort: 80 }];
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `w${n}`, namespace: w.ns },
      spec: {
        template: {
          metadata: { labels: w.labels },
          spec: { hostNetwork: w.hostNetwork, containers: [{ name: 'main', image: 'r.example/x@sha256:0', ports }] },
        },
      },
    });
  });
  i.policies.forEach((p, n) => objects.push(networkPolicy(p.ns, `p${n}`, p.spec)));
  return objects;
}

describe('reachability through the label index', () => {
  it('finds exactly the workload-to-workload connections of the pair-by-pair definition', () => {
    fc.assert(
      fc.property(input, (i) => {
        const objects = objectsOf(i);
        const graph = networkGraphOf(objects);
        const indexed = graph.connections
          .filter((c) => !c.outside)
          .map((c) => describeEdge(c.from, c.to, c.ports, c.egress, c.ingress))
          .sort();
        expect(indexed).toEqual(referenceConnections(objects, graph));
      }),
      { numRuns: 400 },
    );
  });
});
