import { Chart } from 'cdk8s';
import { HardenedConfigMap, HardenedDeployment, HardenedJob, HardenedStatefulSet, HealthProbe } from '../../lib';
import { errorOf, IMAGE, shopChart } from '../helpers/charts';

/** Bad input to the pod features is refused at construction, with the usual message: path, prop, value, fix. */
const refused: [string, (c: Chart) => unknown, string][] = [
  [
    'dup container',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, sidecars: [{ name: 'api', image: IMAGE }] }),
    "HardenedDeployment at 'shop/api': prop 'sidecars[0].name' received \"api\" (also the name of the main container). Allowed: a container name unique in the pod. Fix: rename the container",
  ],
  [
    'sidecar image tag',
    (c) =>
      new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, sidecars: [{ name: 'proxy', image: 'envoy:v1' }] }),
    "HardenedDeployment at 'shop/api': prop 'sidecars[0].image' received \"envoy:v1\" (the tag ':v1' is mutable, and no images lock pins it (bulwark.images.lock does not exist)). Allowed: an image reference pinned by digest: registry/name@sha256:<64 hex>, or a tag the images lock pins. Fix: pin the image by digest, e.g. \"ghcr.io/acme/api@sha256:<64 hex>\" (docker buildx imagetools inspect <image> prints it), or record the tag's digest with 'bulwark pin envoy:v1', or add the exemption { rule: 'image-digest', reason: '<why this image cannot be pinned>' }",
  ],
  [
    'init port',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        initContainers: [{ name: 'migrate', image: IMAGE, port: 9000 }],
      }),
    "HardenedDeployment at 'shop/api': prop 'initContainers[0].port' received 9000 (an init container runs to completion before the pod starts: nothing can connect to it). Allowed: no ports on an init container. Fix: remove the port, or declare the container in `sidecars` if it keeps serving",
  ],
  [
    'init probe',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        initContainers: [{ name: 'migrate', image: IMAGE, readinessProbe: HealthProbe.exec(['true']) }],
      }),
    "HardenedDeployment at 'shop/api': prop 'initContainers[0].readinessProbe' received \"a probe\" (an init container runs to completion: Kubernetes refuses probes on it). Allowed: no probes on an init container. Fix: remove the probe, or declare the container in `sidecars` if it keeps running",
  ],
  [
    'sidecar same port',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        sidecars: [{ name: 'proxy', image: IMAGE, ports: [{ name: 'proxy', port: 8080 }] }],
      }),
    "HardenedDeployment at 'shop/api': prop 'sidecars[0].ports[0].port' received 8080 (port 8080/TCP is already declared by port: containers of a pod share one network namespace). Allowed: each port number and protocol once per pod. Fix: listen on another port, or remove the duplicate",
  ],
  [
    'port name main',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, ports: [{ name: 'main', port: 9090 }] }),
    "HardenedDeployment at 'shop/api': prop 'ports[0].name' received \"main\" (port name already used by port). Allowed: a port name unique in the pod. Fix: 'main' is the name of `port`: name this one after its use",
  ],
  [
    'port name bad',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, ports: [{ name: 'Metrics_Port', port: 9090 }] }),
    "HardenedDeployment at 'shop/api': prop 'ports[0].name' received \"Metrics_Port\". Allowed: an IANA service name: at most 15 lowercase letters, digits and '-', with a letter, no '--'. Fix: name the port after its use, e.g. 'http', 'grpc', 'metrics'",
  ],
  [
    'protocol bad',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        ports: [{ name: 'dns', port: 5353, protocol: 'ICMP' as never }],
      }),
    "HardenedDeployment at 'shop/api': prop 'ports[0].protocol' received \"ICMP\". Allowed: 'TCP', 'UDP' or 'SCTP'. Fix: leave it out for TCP, or write 'UDP'",
  ],
  [
    'probe named missing',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        readinessProbe: HealthProbe.http('/ready', { port: 'admin' }),
      }),
    "HardenedDeployment at 'shop/api': prop 'readinessProbe' received \"admin\" (the workload has no port named 'admin'). Allowed: a port number, or one of its port names: 8080 ('main'). Fix: name a declared port, or give the number",
  ],
  [
    'probe header auth',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        readinessProbe: HealthProbe.http('/ready', { headers: { Authorization: 'Bearer x' } }),
      }),
    "HardenedDeployment at 'shop/api': prop 'readinessProbe.headers[0]' received \"Authorization: <redacted>\" (a credential in a probe header is written into the manifest). Allowed: headers without credentials. Fix: serve the health endpoint without authentication on a port that only the kubelet reaches",
  ],
  [
    'fieldEnv secret',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, fieldEnv: { X: 'secretKeyRef' } }),
    "HardenedDeployment at 'shop/api': prop 'fieldEnv['X']' received \"secretKeyRef\". Allowed: a downward API field: metadata.name, metadata.namespace, metadata.uid, spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs, metadata.labels['<key>'], metadata.annotations['<key>'], or the container's limits.cpu, requests.memory, .... Fix: e.g. fieldEnv: { POD_NAME: 'metadata.name', POD_IP: 'status.podIP' }; read secrets with secretEnv",
  ],
  [
    'env dup',
    (c) =>
      new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, env: { A: '1' }, fieldEnv: { A: 'metadata.name' } }),
    "HardenedDeployment at 'shop/api': prop 'fieldEnv' received \"A\" (also set by env). Allowed: each variable name once across env, fieldEnv, configEnv and secretEnv. Fix: keep one of the two",
  ],
  [
    'annotation bulwark',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        podAnnotations: { 'exempt.bulwark.dev/image-digest': 'x' },
      }),
    "HardenedDeployment at 'shop/api': prop 'podAnnotations['exempt.bulwark.dev/image-digest']' received \"exempt.bulwark.dev/image-digest\" (keys of bulwark.dev are written by bulwark (exemptions, grants) and cannot be set or replaced). Allowed: an annotation outside bulwark.dev. Fix: request the exemption with exemptions: [{ rule, reason }]",
  ],
  [
    'grace 0',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, terminationGracePeriodSeconds: 0 }),
    "HardenedDeployment at 'shop/api': prop 'terminationGracePeriodSeconds' received 0. Allowed: an integer from 1 to 86400. Fix: give the pod time to drain, e.g. 30 (0 kills it without a chance to finish)",
  ],
  [
    'tolerate all',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, tolerations: [{ operator: 'Exists' }] }),
    "HardenedDeployment at 'shop/api': prop 'tolerations[0]' received {\"operator\":\"Exists\"} (tolerates every taint, the taints that keep pods off isolated pools included). Allowed: placement that does not name 'bulwark.dev/pool' nor tolerate every taint. Fix: ask for a dedicated pool with isolation: { pool: '<pool>' }",
  ],
  [
    'tolerate pool',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        tolerations: [{ key: 'bulwark.dev/pool', operator: 'Exists' }],
      }),
    'HardenedDeployment at \'shop/api\': prop \'tolerations[0]\' received {"key":"bulwark.dev/pool","operator":"Exists"} (tolerates the taint of isolated pools). Allowed: placement that does not name \'bulwark.dev/pool\' nor tolerate every taint. Fix: ask for a dedicated pool with isolation: { pool: \'<pool>\' }',
  ],
  [
    'nodeSelector pool',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, nodeSelector: { 'bulwark.dev/pool': 'pci' } }),
    "HardenedDeployment at 'shop/api': prop 'nodeSelector['bulwark.dev/pool']' received \"pci\" (the pool label is set by isolation). Allowed: placement that does not name 'bulwark.dev/pool' nor tolerate every taint. Fix: ask for a dedicated pool with isolation: { pool: '<pool>' }",
  ],
  [
    'affinity pool',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'bulwark.dev/pool', operator: 'In', values: ['pci'] }] }],
            },
          },
        },
      }),
    'HardenedDeployment at \'shop/api\': prop \'affinity.nodeAffinity\' received {"key":"bulwark.dev/pool","operator":"In","values":["pci"]} (a term on the pool label). Allowed: placement that does not name \'bulwark.dev/pool\' nor tolerate every taint. Fix: ask for a dedicated pool with isolation: { pool: \'<pool>\' }',
  ],
  [
    'sts no replicas',
    (c) => new HardenedStatefulSet(c, 'db', { image: IMAGE, port: 6379 } as never),
    "HardenedStatefulSet at 'shop/db': prop 'replicas' received undefined (a StatefulSet has no safe default: each replica is an independent store unless the software replicates). Allowed: an integer \u2265 1. Fix: set replicas: 1 for a single-instance store, or the cluster size your software replicates across",
  ],
  [
    'cm secret key',
    (c) => new HardenedConfigMap(c, 'cfg', { data: { 'db-password': 'x' } }),
    "HardenedConfigMap at 'shop/cfg': prop 'data['db-password']' received \"<redacted>\" (a secret-looking key in a ConfigMap is stored unencrypted and readable by anyone who can read config). Allowed: non-secret configuration. Fix: put the secret in an ExternalSecret and read it with secretFiles or secretEnv",
  ],
  [
    'cm other ns',
    (c) => {
      const cm = new HardenedConfigMap(c, 'cfg', { namespace: 'other', data: { a: 'b' } });
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        configFiles: [{ config: cm, mountPath: '/etc/app' }],
      });
    },
    "HardenedDeployment at 'shop/api': prop 'configFiles[0].config' received \"HardenedConfigMap other/cfg-db8992cf94\" (a pod in namespace 'shop' cannot read a ConfigMap of namespace 'other'). Allowed: a HardenedConfigMap in namespace 'shop'. Fix: create the HardenedConfigMap in the workload\u2019s namespace",
  ],
  [
    'cm missing key',
    (c) => {
      const cm = new HardenedConfigMap(c, 'cfg', { data: { a: 'b' } });
      new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, configEnv: { X: { config: cm, key: 'nope' } } });
    },
    "HardenedDeployment at 'shop/api': prop 'configEnv['X'].key' received \"nope\" (HardenedConfigMap shop/cfg-db8992cf94 has no such key). Allowed: one of its keys: a. Fix: add the key to the ConfigMap data or fix the name",
  ],
  [
    'allowFrom dead port',
    (c) => {
      const a = new HardenedDeployment(c, 'cart', { image: IMAGE, port: 3550 });
      const f = new HardenedDeployment(c, 'frontend', { image: IMAGE, port: 8080 });
      a.allowFrom(f, 3500);
    },
    "HardenedDeployment at 'shop/cart': prop 'allowFrom(peer, port)' received 3500 ('shop/cart' declares no port 3500). Allowed: one of its ports: 3550 ('main'). Fix: use one of them, e.g. allowFrom(peer, 'main'), or declare the port on 'shop/cart'",
  ],
  [
    'allowFrom name missing',
    (c) => {
      const a = new HardenedDeployment(c, 'cart', { image: IMAGE, port: 3550 });
      const f = new HardenedDeployment(c, 'frontend', { image: IMAGE, port: 8080 });
      a.allowFrom(f, 'grpc');
    },
    "HardenedDeployment at 'shop/cart': prop 'allowFrom(peer, port)' received \"grpc\" ('shop/cart' declares no port named \"grpc\"). Allowed: one of its ports: 3550 ('main'). Fix: use one of them, e.g. allowFrom(peer, 'main'), or declare the port on 'shop/cart'",
  ],
  [
    'direction',
    (c) => {
      const lg = new HardenedJob(c, 'loadgen', { image: IMAGE });
      const f = new HardenedDeployment(c, 'frontend', { image: IMAGE, port: 8080 });
      lg.allowFrom(f);
    },
    "HardenedJob at 'shop/loadgen': prop 'allowFrom(peer, port)' received undefined ('shop/loadgen' listens on no port (no `port` or `ports`), so nothing can connect to it). Allowed: a connection to a workload that declares the port it listens on. Fix: the direction looks reversed: to let 'shop/loadgen' connect to 'shop/frontend', call loadgen.allowTo(frontend)",
  ],
  [
    'direction allowTo',
    (c) => {
      const lg = new HardenedJob(c, 'loadgen', { image: IMAGE });
      const f = new HardenedDeployment(c, 'frontend', { image: IMAGE, port: 8080 });
      f.allowTo(lg);
    },
    "HardenedDeployment at 'shop/frontend': prop 'allowTo(peer, port)' received undefined ('shop/loadgen' listens on no port (no `port` or `ports`), so nothing can connect to it). Allowed: a connection to a workload that declares the port it listens on. Fix: the direction looks reversed: to let 'shop/loadgen' connect to 'shop/frontend', call frontend.allowFrom(loadgen)",
  ],
  [
    'allowFrom reversed port',
    (c) => {
      const cart = new HardenedDeployment(c, 'cart', { image: IMAGE, port: 3550 });
      const f = new HardenedDeployment(c, 'frontend', { image: IMAGE, port: 8080 });
      cart.allowFrom(f, 8080);
    },
    "HardenedDeployment at 'shop/cart': prop 'allowFrom(peer, port)' received 8080 ('shop/cart' declares no port 8080). Allowed: one of its ports: 3550 ('main'). Fix: the direction looks reversed: 'shop/frontend' listens on 8080; to let 'shop/cart' connect to it, call cart.allowTo(frontend, 8080)",
  ],
  [
    'allowTo label peer name',
    (c) => {
      const f = new HardenedDeployment(c, 'frontend', { image: IMAGE, port: 8080 });
      f.allowTo({ namespace: 'x', podLabels: {} }, 'http');
    },
    "HardenedDeployment at 'shop/frontend': prop 'allowTo(peer, port)' received \"http\" (a port name can only be resolved on a bulwark workload). Allowed: a port number from 1 to 65535. Fix: pass the port number: allowTo(peer, 8080)",
  ],
  [
    'no ports either',
    (c) => {
      const lg = new HardenedJob(c, 'loadgen', { image: IMAGE });
      const f = new HardenedJob(c, 'other', { image: IMAGE });
      f.allowTo(lg);
    },
    "HardenedJob at 'shop/other': prop 'allowTo(peer, port)' received undefined ('shop/loadgen' listens on no port (no `port` or `ports`), so nothing can connect to it). Allowed: a connection to a workload that declares the port it listens on. Fix: declare the port 'shop/loadgen' listens on with `port` or `ports`",
  ],
];
describe('pod features refuse bad input with an actionable message', () => {
  it.each(refused)('%s', (_name, build, message) => {
    const { chart } = shopChart();
    expect(errorOf(() => build(chart))).toBe(message);
  });
});
