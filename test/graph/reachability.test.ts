import { networkGraphOf, NOT_ISOLATED } from '../../lib/graph/reachability';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { allEdges, deployment, namespace, networkPolicy, openNames, podEdges } from '../helpers/graph-objects';

const DENY_ALL = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
const HTTP = [{ containerPort: 8080, name: 'http' }];

describe('reachability: isolation and additivity', () => {
  it('without any NetworkPolicy every workload reaches every other on every port, and all are open to all', () => {
    const g = networkGraphOf([deployment('a', 'web'), deployment('a', 'api')]);
    expect(allEdges(g)).toEqual([
      'a/api -> a/web: any',
      'a/api -> [anywhere]: any',
      'a/web -> a/api: any',
      'a/web -> [anywhere]: any',
      '[anywhere] -> a/api: any',
      '[anywhere] -> a/web: any',
    ]);
    expect(openNames(g)).toEqual(['a/api', 'a/web']);
    expect(g.workloads.map((w) => w.openToAll)).toEqual([
      ['no NetworkPolicy selects it for ingress'],
      ['no NetworkPolicy selects it for ingress'],
    ]);
    expect(g.connections.find((c) => c.from === 'a/Deployment/web' && c.to === 'a/Deployment/api')).toMatchObject({
      egress: [NOT_ISOLATED],
      ingress: [NOT_ISOLATED],
    });
  });

  it('a default deny of ingress isolates ingress only: egress stays open, nothing can get in', () => {
    const g = networkGraphOf([
      deployment('a', 'web'),
      deployment('a', 'api'),
      networkPolicy('a', 'deny-ingress', { podSelector: {} }),
    ]);
    expect(allEdges(g)).toEqual(['a/api -> [anywhere]: any', 'a/web -> [anywhere]: any']);
    expect(g.workloads.map((w) => [w.name, w.ingressIsolated, w.egressIsolated])).toEqual([
      ['api', true, false],
      ['web', true, false],
    ]);
    expect(openNames(g)).toEqual([]);
  });

  it('policies are additive: each policy selecting a pod adds what it allows', () => {
    const g = networkGraphOf([
      deployment('a', 'web'),
      deployment('a', 'worker'),
      deployment('a', 'api', { app: 'api' }, [{ containerPort: 8080 }, { containerPort: 9090 }]),
      networkPolicy('a', 'deny', DENY_ALL),
      networkPolicy('a', 'api-from-web', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
      }),
      networkPolicy('a', 'api-from-worker', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'worker' } } }], ports: [{ port: 9090 }] }],
      }),
      networkPolicy('a', 'egress-to-api', {
        podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'worker'] }] },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }],
      }),
    ]);
    expect(allEdges(g)).toEqual(['a/web -> a/api: TCP 8080', 'a/worker -> a/api: TCP 9090']);
    expect(g.connections[0]).toMatchObject({
      egress: ['a/egress-to-api egress[0]'],
      ingress: ['a/api-from-web ingress[0]'],
      outside: false,
    });
  });

  it("a connection needs the source's egress and the destination's ingress, on the ports both allow", () => {
    const g = networkGraphOf([
      deployment('a', 'web'),
      deployment('a', 'batch'),
      deployment('a', 'db', { app: 'db' }, [{ containerPort: 5432 }]),
      networkPolicy('a', 'db-in', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 5432 }, { port: 5433 }] }],
      }),
      networkPolicy('a', 'web-out', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }, { port: 6379 }] }],
      }),
      // batch may send nothing: its egress is isolated with no rule, although db's ingress would take it.
      networkPolicy('a', 'batch-out', { podSelector: { matchLabels: { app: 'batch' } }, policyTypes: ['Egress'] }),
    ]);
    expect(podEdges(g)).toEqual(['a/db -> a/batch: any', 'a/db -> a/web: any', 'a/web -> a/db: TCP 5432']);
  });

  it('an egress-only policy without policyTypes also isolates ingress (default policyTypes: Ingress, plus Egress)', () => {
    const g = networkGraphOf([
      deployment('a', 'web'),
      deployment('a', 'api'),
      networkPolicy('a', 'api-out', {
        podSelector: { matchLabels: { app: 'api' } },
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      }),
    ]);
    expect(podEdges(g)).toEqual(['a/api -> a/web: any']);
    expect(g.workloads.map((w) => [w.name, w.ingressIsolated, w.egressIsolated])).toEqual([
      ['api', true, true],
      ['web', false, false],
    ]);
  });

  it('rules of a direction missing from explicit policyTypes are ignored', () => {
    const g = networkGraphOf([
      deployment('a', 'web'),
      deployment('a', 'api'),
      networkPolicy('a', 'api-in-only', {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
        egress: [],
      }),
    ]);
    expect(podEdges(g)).toEqual(['a/api -> a/web: any', 'a/web -> a/api: any']);
    expect(g.workloads.find((w) => w.name === 'api')?.egressIsolated).toBe(false);
  });
});

describe('reachability: peers', () => {
  /** api in ns `back` admits the given peers; clients in `front` (team=web) and `back`. */
  function admitting(from: unknown[]): K8sObject[] {
    return [
      namespace('front', { team: 'web' }),
      namespace('back'),
      deployment('front', 'web', { app: 'web' }),
      deployment('front', 'cron', { app: 'cron' }),
      deployment('back', 'web', { app: 'web' }),
      deployment('back', 'api', { app: 'api' }),
      networkPolicy('front', 'deny', DENY_ALL),
      networkPolicy('back', 'deny', DENY_ALL),
      networkPolicy('front', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
      networkPolicy('back', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
      networkPolicy('back', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from }] }),
    ];
  }
  const intoApi = (objects: K8sObject[]) => podEdges(networkGraphOf(objects)).filter((e) => e.includes('-> back/api'));

  it("a podSelector alone selects pods of the policy's own namespace only", () => {
    expect(intoApi(admitting([{ podSelector: { matchLabels: { app: 'web' } } }]))).toEqual([
      'back/web -> back/api: any',
    ]);
  });

  it('a namespaceSelector alone selects every pod of the matching namespaces (labels from the Namespace object)', () => {
    expect(intoApi(admitting([{ namespaceSelector: { matchLabels: { team: 'web' } } }]))).toEqual([
      'front/cron -> back/api: any',
      'front/web -> back/api: any',
    ]);
  });

  it('namespaceSelector and podSelector in one peer must both hold; in two peers either does', () => {
    const both = { namespaceSelector: { matchLabels: { team: 'web' } }, podSelector: { matchLabels: { app: 'web' } } };
    expect(intoApi(admitting([both]))).toEqual(['front/web -> back/api: any']);
    const either = [
      { namespaceSelector: { matchLabels: { team: 'web' } } },
      { podSelector: { matchLabels: { app: 'web' } } },
    ];
    expect(intoApi(admitting(either))).toEqual([
      'back/web -> back/api: any',
      'front/cron -> back/api: any',
      'front/web -> back/api: any',
    ]);
  });

  it("a podSelector: {} peer is every pod of the policy's namespace; namespaceSelector: {} every pod anywhere", () => {
    const own = networkGraphOf(admitting([{ podSelector: {} }]));
    expect(podEdges(own).filter((e) => e.includes('-> back/api'))).toEqual(['back/web -> back/api: any']);
    expect(openNames(own)).toEqual([]);

    const every = networkGraphOf(admitting([{ namespaceSelector: {} }]));
    expect(podEdges(every).filter((e) => e.includes('-> back/api'))).toEqual([
      'back/web -> back/api: any',
      'front/cron -> back/api: any',
      'front/web -> back/api: any',
    ]);
    expect(allEdges(every).filter((e) => e.startsWith('['))).toEqual([
      '[any other namespace: all pods] -> back/api: any',
    ]);
    expect(every.workloads.find((w) => w.name === 'api')?.openToAll).toEqual([
      'back/api-in ingress[0] admits every pod of any namespace on ports any',
    ]);
  });

  it('a namespace not in the input has only its kubernetes.io/metadata.name label; declared ones get it too', () => {
    const objects = [
      namespace('back', { team: 'api' }),
      deployment('back', 'api', { app: 'api' }, HTTP),
      networkPolicy('back', 'api-in', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
                podSelector: { matchLabels: { app: 'prometheus' } },
              },
              { namespaceSelector: { matchLabels: { team: 'ops' } } },
            ],
            ports: [{ port: 'http' }],
          },
        ],
      }),
      networkPolicy('back', 'api-out', {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Egress'],
        egress: [
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'back' } } }] },
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }],
          },
        ],
      }),
      deployment('back', 'worker', { app: 'worker' }),
    ];
    const g = networkGraphOf(objects);
    expect(allEdges(g)).toEqual([
      'back/api -> back/worker: any',
      'back/api -> [kube-system: k8s-app=kube-dns]: TCP 53, UDP 53',
      'back/worker -> [anywhere]: any',
      '[anywhere] -> back/worker: any',
      '[monitoring: app=prometheus] -> back/api: TCP 8080',
    ]);
    expect(g.namespaces).toEqual([
      { name: 'back', labels: { team: 'api', 'kubernetes.io/metadata.name': 'back' }, declared: true },
    ]);
  });
});

describe('reachability: rules without peers, ports, ipBlocks', () => {
  /** web and db in `a`, everything denied but what `dbIngress` allows into db. */
  function intoDb(
    dbIngress: unknown,
    dbPorts = [{ containerPort: 5432, name: 'pg' }],
  ): ReturnType<typeof networkGraphOf> {
    return networkGraphOf([
      deployment('a', 'web'),
      deployment('a', 'db', { app: 'db' }, dbPorts),
      networkPolicy('a', 'deny', DENY_ALL),
      networkPolicy('a', 'web-out', {
        podSelector: { matchLabels: { app: 'web' } },
        egress: [{}],
        policyTypes: ['Egress'],
      }),
      networkPolicy('a', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: dbIngress }),
    ]);
  }

  it("a missing or empty 'from' admits every source, and the workload is open to all", () => {
    for (const rule of [{ ports: [{ port: 5432 }] }, { from: [], ports: [{ port: 5432 }] }]) {
      const g = intoDb([rule]);
      expect(allEdges(g)).toEqual([
        'a/web -> a/db: TCP 5432',
        'a/web -> [anywhere]: any',
        '[anywhere] -> a/db: TCP 5432',
      ]);
      expect(g.workloads.find((w) => w.name === 'db')?.openToAll).toEqual([
        "a/db-in ingress[0] has no 'from': any source on ports TCP 5432",
      ]);
    }
  });

  it('an empty rule ({}) allows every source on every port; ingress: [] allows nothing', () => {
    expect(podEdges(intoDb([{}]))).toEqual(['a/web -> a/db: any']);
    expect(podEdges(intoDb([]))).toEqual([]);
    expect(openNames(intoDb([]))).toEqual([]);
  });

  it('ports: protocol defaults to TCP, endPort gives a range, a protocol without port is every port of it', () => {
    const g = intoDb([
      {
        from: [{ podSelector: {} }],
        ports: [
          { port: 5432 },
          { port: 6000, endPort: 6010, protocol: 'TCP' },
          { protocol: 'UDP' },
          { port: 9000, protocol: 'SCTP' },
        ],
      },
    ]);
    expect(podEdges(g)).toEqual(['a/web -> a/db: TCP 5432,6000-6010, UDP any, SCTP 9000']);
  });

  it('named ports resolve against the destination container ports, with their protocol', () => {
    const named = [{ from: [{ podSelector: {} }], ports: [{ port: 'pg' }, { port: 'metrics', protocol: 'UDP' }] }];
    expect(podEdges(intoDb(named))).toEqual(['a/web -> a/db: TCP 5432']);
    const udpMetrics = [
      { containerPort: 5432, name: 'pg' },
      { containerPort: 9102, name: 'metrics', protocol: 'UDP' },
      { containerPort: 9103, name: 'metrics' },
    ];
    expect(podEdges(intoDb(named, udpMetrics))).toEqual(['a/web -> a/db: TCP 5432, UDP 9102']);
    expect(podEdges(intoDb(named, [{ containerPort: 5432, name: 'postgres' }]))).toEqual([]);
  });

  it('named egress ports resolve per destination; towards pods outside the input they stay names', () => {
    const g = networkGraphOf([
      deployment('a', 'web'),
      deployment('a', 'api', { app: 'api' }, [{ containerPort: 8080, name: 'http' }]),
      deployment('a', 'admin', { app: 'admin' }, [{ containerPort: 9000, name: 'http' }]),
      networkPolicy('a', 'web-out', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }],
            ports: [{ port: 'http' }],
          },
        ],
      }),
    ]);
    expect(allEdges(g).filter((e) => e.startsWith('a/web'))).toEqual([
      'a/web -> a/admin: TCP 9000',
      'a/web -> a/api: TCP 8080',
      'a/web -> [b: all pods]: TCP http',
    ]);
  });

  it('ipBlocks become outside nodes; 0.0.0.0/0 (even with except) makes the workload open to all', () => {
    const g = intoDb([
      { from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.8/29'] } }], ports: [{ port: 'pg' }] },
      { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] },
    ]);
    expect(allEdges(g).filter((e) => e.startsWith('['))).toEqual([
      '[0.0.0.0/0 except 10.0.0.0/8] -> a/db: TCP 443',
      '[203.0.113.0/24 except 203.0.113.8/29] -> a/db: TCP 5432',
    ]);
    expect(podEdges(g)).toEqual([]);
    expect(g.workloads.find((w) => w.name === 'db')?.openToAll).toEqual([
      'a/db-in ingress[1] admits ipBlock 0.0.0.0/0 except 10.0.0.0/8 on ports TCP 443',
    ]);
  });

  it('egress to an ipBlock goes to an outside node; it never matches pods of the input', () => {
    const g = networkGraphOf([
      deployment('a', 'web'),
      deployment('a', 'db'),
      networkPolicy('a', 'web-out', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 443 }] }],
      }),
    ]);
    expect(allEdges(g).filter((e) => e.startsWith('a/web'))).toEqual(['a/web -> [10.0.0.0/8]: TCP 443']);
  });

  it('malformed peers and ports (rejected by the API server) allow nothing rather than everything', () => {
    const g = intoDb([
      { from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] },
      { from: [{}] },
      { from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] } }] },
      { from: [{ podSelector: {} }], ports: [{ port: '5432' }, { port: 70000 }, { port: 5432, protocol: 'ICMP' }] },
    ]);
    expect(allEdges(g).filter((e) => e.endsWith('a/db'))).toEqual([]);
    expect(openNames(g)).toEqual([]);
  });
});

describe('reachability: open to all, workloads, determinism', () => {
  it("podSelector: {} in the policy's own namespace is not open to all; pods labelled X of any namespace are", () => {
    const g = networkGraphOf([
      deployment('a', 'api'),
      deployment('a', 'db'),
      networkPolicy('a', 'api-in', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [
          {
            from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'gateway' } } }],
            ports: [{ port: 80 }],
          },
        ],
      }),
      networkPolicy('a', 'db-in', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: {} }] }],
      }),
    ]);
    expect(g.workloads.map((w) => [w.name, w.openToAll])).toEqual([
      ['api', ['a/api-in ingress[0] admits pods labelled role=gateway of any namespace on ports TCP 80']],
      ['db', []],
    ]);
  });

  it('a NotIn namespaceSelector admits any other namespace; an In one only the named namespaces', () => {
    const withSelector = (namespaceSelector: unknown) =>
      networkGraphOf([
        deployment('a', 'api'),
        networkPolicy('a', 'api-in', { podSelector: {}, ingress: [{ from: [{ namespaceSelector }] }] }),
      ]);
    const notIn = withSelector({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['dev'] }],
    });
    expect(allEdges(notIn).filter((e) => e.startsWith('['))).toEqual(['[any other namespace: all pods] -> a/api: any']);
    expect(openNames(notIn)).toEqual(['a/api']);
    const inList = withSelector({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ops', 'a'] }],
    });
    expect(allEdges(inList).filter((e) => e.startsWith('['))).toEqual(['[ops: all pods] -> a/api: any']);
    expect(openNames(inList)).toEqual([]);
  });

  it('takes pods from every workload kind with a pod template (not PodTemplate), namespace default when none', () => {
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const g = networkGraphOf([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'p' } }, spec: { containers: [] } },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c', namespace: 'b' },
        spec: { jobTemplate: { spec: { template } } },
      },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'b' }, spec: { template } },
      { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't', namespace: 'b' }, template },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'b' }, spec: {} },
    ]);
    expect(g.workloads.map((w) => [w.id, w.labels])).toEqual([
      ['b/CronJob/c', { app: 'x' }],
      ['b/StatefulSet/s', { app: 'x' }],
      ['default/Pod/p', { app: 'p' }],
    ]);
    expect(g.namespaces.map((n) => [n.name, n.declared])).toEqual([
      ['b', false],
      ['default', false],
    ]);
  });

  it('gives the same graph whatever the order of the input', () => {
    const objects = [
      namespace('front', { team: 'web' }),
      deployment('front', 'web'),
      deployment('back', 'api', { app: 'api' }, HTTP),
      deployment('back', 'db', { app: 'db' }, [{ containerPort: 5432 }]),
      networkPolicy('back', 'deny', DENY_ALL),
      networkPolicy('back', 'api-in', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'web' } } }], ports: [{ port: 'http' }] }],
      }),
      networkPolicy('back', 'api-out', {
        podSelector: { matchLabels: { app: 'api' } },
        egress: [
          { to: [{ podSelector: { matchLabels: { app: 'db' } } }] },
          { to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] },
        ],
      }),
      networkPolicy('back', 'db-in', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }],
      }),
    ];
    const g = networkGraphOf(objects);
    expect(networkGraphOf([...objects].reverse())).toEqual(g);
    expect(
      networkGraphOf([objects[3], objects[6], objects[0], objects[7], objects[1], objects[5], objects[2], objects[4]]),
    ).toEqual(g);
    expect(allEdges(g)).toEqual([
      'back/api -> back/db: any',
      'back/api -> [192.0.2.0/24]: any',
      'front/web -> back/api: TCP 8080',
      'front/web -> [anywhere]: any',
      '[anywhere] -> front/web: any',
    ]);
  });
});

describe('reachability: host network pods and selectors that match nothing', () => {
  it('a hostNetwork pod is selected by no policy and matched by no pod selector: open both ways, and said why', () => {
    const node = deployment('a', 'agent', { app: 'agent' });
    (node.spec as { template: { spec: Record<string, unknown> } }).template.spec.hostNetwork = true;
    const g = networkGraphOf([
      node,
      deployment('a', 'api', { app: 'api' }, HTTP),
      networkPolicy('a', 'deny', DENY_ALL),
      networkPolicy('a', 'api-from-agent', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'agent' } } }] }],
      }),
    ]);
    const agent = g.workloads.find((w) => w.name === 'agent');
    expect(agent).toMatchObject({ hostNetwork: true, ingressIsolated: false, egressIsolated: false });
    expect(agent?.openToAll).toEqual(['it uses the node network (hostNetwork), where NetworkPolicies do not apply']);
    // The api's policy names the agent's labels, but its traffic comes from the node: no edge between them.
    expect(podEdges(g)).toEqual([]);
    expect(g.unmatchedSelectors).toEqual([
      { policy: 'a/api-from-agent', where: 'ingress[0].from[0]', selector: 'app=agent' },
    ]);
  });

  it('reports a policy selector and a peer selector that pick no workload of their namespace', () => {
    const g = networkGraphOf([
      deployment('a', 'api', { app: 'api' }, HTTP),
      networkPolicy('a', 'typo', { podSelector: { matchLabels: { app: 'apii' } }, ingress: [] }),
      networkPolicy('a', 'api-from-gone', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'api' } } }, { podSelector: { matchLabels: { app: 'gone' } } }],
          },
        ],
      }),
      // A namespace without workloads in the input is not judged: its pods may be elsewhere.
      networkPolicy('b', 'elsewhere', { podSelector: { matchLabels: { app: 'x' } }, ingress: [] }),
    ]);
    expect(g.unmatchedSelectors).toEqual([
      { policy: 'a/api-from-gone', where: 'ingress[0].from[1]', selector: 'app=gone' },
      { policy: 'a/typo', where: 'podSelector', selector: 'app=apii' },
    ]);
  });
});
