import {
  HardenedConfigMap,
  HardenedDeployment,
  HardenedJob,
  HardenedStatefulSet,
  HealthProbe,
  LeastPrivilegeServiceAccount,
} from '../../lib';
import { audit, K8sObject } from '../../lib/policy';
import { find, IMAGE, shopChart, synth } from '../helpers/charts';

const PROXY = `ghcr.io/acme/proxy@sha256:${'a'.repeat(64)}`;

describe('init containers and sidecars', () => {
  const { chart } = shopChart();
  new HardenedDeployment(chart, 'api', {
    image: IMAGE,
    port: 8080,
    initContainers: [{ name: 'migrate', image: IMAGE, args: ['migrate'], writablePaths: ['/tmp'] }],
    sidecars: [
      {
        name: 'proxy',
        image: PROXY,
        ports: [{ name: 'proxy', port: 15001, appProtocol: 'http' }],
        readinessProbe: HealthProbe.http('/ready', { port: 'proxy' }),
        cpuLimit: '200m',
      },
    ],
  });
  const objects = synth(chart);
  const pod = find(objects, 'Deployment', 'api').spec.template.spec;

  it('writes sidecars as native sidecars first, then the init containers in order', () => {
    expect(pod.initContainers.map((c: { name: string; restartPolicy?: string }) => [c.name, c.restartPolicy])).toEqual([
      ['proxy', 'Always'],
      ['migrate', undefined],
    ]);
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['api']);
  });

  it('hardens every container exactly like the main one', () => {
    const main = pod.containers[0];
    for (const c of pod.initContainers) {
      expect(c.securityContext).toEqual(main.securityContext);
      expect(c.imagePullPolicy).toBe('Always');
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    }
    expect(pod.initContainers[0].resources.limits.cpu).toBe('200m');
  });

  it('gives each container its own writable volumes, names unique in the pod', () => {
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(['rw-tmp', 'rw-tmp-2', 'rw-tmp-3']);
    const mountOf = (c: { volumeMounts: { name: string }[] }) => c.volumeMounts.map((m) => m.name);
    expect(mountOf(pod.containers[0])).toEqual(['rw-tmp']);
    expect(mountOf(pod.initContainers[0])).toEqual(['rw-tmp-2']);
    expect(mountOf(pod.initContainers[1])).toEqual(['rw-tmp-3']);
  });

  it("exposes the sidecar's named ports on the Service and probes them by name", () => {
    expect(pod.initContainers[0].ports).toEqual([{ name: 'proxy', containerPort: 15001, protocol: 'TCP' }]);
    expect(pod.initContainers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 'proxy' });
    expect(find(objects, 'Service', 'api').spec.ports).toEqual([
      { name: 'main', port: 8080, targetPort: 'main', protocol: 'TCP' },
      { name: 'proxy', port: 15001, targetPort: 'proxy', protocol: 'TCP', appProtocol: 'http' },
    ]);
  });

  it('passes the Pod Security restricted profile and the whole catalog', () => {
    const findings = audit(objects as K8sObject[]).findings.filter((f) => f.severity === 'error');
    expect(findings).toEqual([]);
  });

  it('lets a Job complete with a native sidecar, and projects the API token into the main container only', () => {
    const { chart: c2 } = shopChart();
    const sa = new LeastPrivilegeServiceAccount(c2, 'sa', {
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['x'] }],
    });
    new HardenedJob(c2, 'report', { image: IMAGE, serviceAccount: sa, sidecars: [{ name: 'shipper', image: PROXY }] });
    const spec = find(synth(c2), 'Job', 'report').spec.template.spec;
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.initContainers[0].restartPolicy).toBe('Always');
    const mounts = (c: { volumeMounts: { name: string }[] }) => c.volumeMounts.map((m) => m.name);
    expect(mounts(spec.containers[0])).toContain('kube-api-access');
    expect(mounts(spec.initContainers[0])).not.toContain('kube-api-access');
  });
});

describe('ports', () => {
  it('writes named ports with protocol and appProtocol, and opens policies by port name and protocol', () => {
    const { chart } = shopChart();
    const dns = new HardenedDeployment(chart, 'dns', {
      image: IMAGE,
      ports: [
        { name: 'dns', port: 5353, protocol: 'UDP' },
        { name: 'metrics', port: 9153, appProtocol: 'http' },
      ],
      readinessProbe: HealthProbe.http('/ready', { port: 'metrics', headers: { 'X-Probe': 'kubelet' } }),
      livenessProbe: HealthProbe.tcp({ port: 'metrics' }),
      startupProbe: HealthProbe.grpc({ port: 'metrics', failureThreshold: 30 }),
    });
    const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    dns.allowFrom(api, 'dns');
    expect(dns.declaredPorts.map((p) => p.name)).toEqual(['dns', 'metrics']);
    expect(dns.defaultPort).toBe(5353);
    const objects = synth(chart);
    const c = find(objects, 'Deployment', 'dns').spec.template.spec.containers[0];
    expect(c.ports).toEqual([
      { name: 'dns', containerPort: 5353, protocol: 'UDP' },
      { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
    ]);
    expect(c.readinessProbe.httpGet).toEqual({
      path: '/ready',
      port: 'metrics',
      httpHeaders: [{ name: 'X-Probe', value: 'kubelet' }],
    });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 'metrics' });
    // gRPC probes need a number: the name is resolved.
    expect(c.startupProbe).toEqual({
      grpc: { port: 9153 },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 30,
    });
    expect(find(objects, 'Service', 'dns').spec.ports).toEqual([
      { name: 'dns', port: 5353, targetPort: 'dns', protocol: 'UDP' },
      { name: 'metrics', port: 9153, targetPort: 'metrics', protocol: 'TCP', appProtocol: 'http' },
    ]);
    expect(find(objects, 'NetworkPolicy', 'dns-ingress').spec.ingress[0].ports).toEqual([
      { protocol: 'UDP', port: 5353 },
    ]);
    expect(find(objects, 'NetworkPolicy', 'api-egress').spec.egress[0].ports).toEqual([
      { protocol: 'UDP', port: 5353 },
    ]);
  });

  it('keeps servicePort for `port` beside further ports', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'web', {
      image: IMAGE,
      port: 8080,
      servicePort: 80,
      ports: [{ name: 'metrics', port: 9090 }],
    });
    expect(find(synth(chart), 'Service', 'web').spec.ports.map((p: { port: number }) => p.port)).toEqual([80, 9090]);
  });
});

describe('configuration', () => {
  it('HardenedConfigMap is immutable and named after a hash of its content, whatever the key order', () => {
    const { chart } = shopChart();
    const a = new HardenedConfigMap(chart, 'cfg', { data: { 'a.yaml': 'x: 1', 'b.yaml': 'y: 2' } });
    const b = new HardenedConfigMap(shopChart().chart, 'cfg', { data: { 'b.yaml': 'y: 2', 'a.yaml': 'x: 1' } });
    const c = new HardenedConfigMap(chart, 'cfg3', { name: 'cfg', data: { 'a.yaml': 'x: 2', 'b.yaml': 'y: 2' } });
    expect(a.name).toMatch(/^cfg-[0-9a-f]{10}$/);
    expect(b.name).toBe(a.name);
    expect(c.name).not.toBe(a.name);
    const cm = find(synth(chart), 'ConfigMap', c.name);
    expect(cm.immutable).toBe(true);
    expect(cm.data).toEqual({ 'a.yaml': 'x: 2', 'b.yaml': 'y: 2' });
  });

  it('configFiles mount read-only, configEnv and fieldEnv read keys and pod fields', () => {
    const { chart } = shopChart();
    const cfg = new HardenedConfigMap(chart, 'cfg', { data: { 'app.yaml': 'level: info', LOG_LEVEL: 'info' } });
    new HardenedDeployment(chart, 'api', {
      image: IMAGE,
      port: 8080,
      env: { MODE: 'prod' },
      configFiles: [{ config: cfg, mountPath: '/etc/app' }],
      configEnv: { LOG_LEVEL: { config: cfg, key: 'LOG_LEVEL' } },
      fieldEnv: {
        POD_NAME: 'metadata.name',
        POD_IP: 'status.podIP',
        VERSION: "metadata.labels['app.kubernetes.io/version']",
        CPU_LIMIT: 'limits.cpu',
      },
    });
    const pod = find(synth(chart), 'Deployment', 'api').spec.template.spec;
    const c = pod.containers[0];
    expect(c.env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
      {
        name: 'VERSION',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['app.kubernetes.io/version']" } },
      },
      { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: cfg.name, key: 'LOG_LEVEL' } } },
    ]);
    expect(pod.volumes).toContainEqual({ name: 'config-1', configMap: { name: cfg.name, defaultMode: 0o444 } });
    expect(c.volumeMounts).toContainEqual({ name: 'config-1', mountPath: '/etc/app', readOnly: true });
  });
});

describe('pod metadata, lifecycle and placement', () => {
  it("merges podAnnotations with bulwark's exemption annotations", () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'api', {
      image: 'ghcr.io/acme/api:1.2.3',
      port: 8080,
      exemptions: [{ rule: 'image-digest', reason: 'vendor publishes tags only' }],
      podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' },
      terminationGracePeriodSeconds: 60,
    });
    const template = find(synth(chart), 'Deployment', 'api').spec.template;
    expect(template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'exempt.bulwark.dev/image-digest': 'vendor publishes tags only',
    });
    expect(template.spec.terminationGracePeriodSeconds).toBe(60);
  });

  it('writes tolerations, nodeSelector and affinity, beside the isolated pool the pod asked for', () => {
    const { chart } = shopChart();
    const affinity = {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'cache' } },
            },
          },
        ],
      },
    };
    new HardenedDeployment(chart, 'api', {
      image: IMAGE,
      port: 8080,
      isolation: { pool: 'pci' },
      nodeSelector: { 'kubernetes.io/arch': 'arm64' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      affinity,
    });
    const spec = find(synth(chart), 'Deployment', 'api').spec.template.spec;
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64', 'bulwark.dev/pool': 'pci' });
    expect(spec.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'bulwark.dev/pool', operator: 'Equal', value: 'pci', effect: 'NoSchedule' },
    ]);
    expect(spec.affinity).toEqual(affinity);
  });

  it('HardenedStatefulSet writes the replicas it is given (1 for a single-instance store)', () => {
    const { chart } = shopChart();
    new HardenedStatefulSet(chart, 'redis', { image: IMAGE, port: 6379, replicas: 1 });
    expect(find(synth(chart), 'StatefulSet', 'redis').spec.replicas).toBe(1);
  });
});
