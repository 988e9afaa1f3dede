import { HardenedDeployment, HealthProbe, LeastPrivilegeServiceAccount } from '../../lib';
import { find, IMAGE, shopChart, synth } from '../helpers/charts';

describe('HardenedDeployment', () => {
  it('hardens the pod and every container (PSS restricted, NSA/CISA)', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    const objects = synth(chart);
    const deploy = find(objects, 'Deployment', 'api');
    expect(deploy.metadata.namespace).toBe('shop');
    const pod = deploy.spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostIPC).toBeUndefined();
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.serviceAccountName).toBe('api');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.image).toBe(IMAGE);
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.ports).toEqual([{ name: 'main', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.ports[0].hostPort).toBeUndefined();
    expect(c.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(c.readinessProbe).toEqual({
      tcpSocket: { port: 8080 },
      initialDelaySeconds: 5,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(c.volumeMounts).toEqual([{ name: 'rw-tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'rw-tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  it('runs replicated with a rollout that never drops below the desired count, a PDB and node and zone spread', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    const objects = synth(chart);
    const deploy = find(objects, 'Deployment', 'api');
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(deploy.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
    expect(deploy.spec.template.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      },
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      },
    ]);
    const pdb = find(objects, 'PodDisruptionBudget', 'api');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } });
  });

  it('exposes a port through a ClusterIP Service only', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, servicePort: 80 });
    const svc = find(synth(chart), 'Service', 'api');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'api' },
      ports: [{ name: 'main', port: 80, targetPort: 'main', protocol: 'TCP' }],
    });
    expect(svc.spec.externalIPs).toBeUndefined();
  });

  it('has no Service without a port, and needs explicit probes then', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'worker', {
      image: IMAGE,
      readinessProbe: HealthProbe.exec(['/bin/ready']),
      livenessProbe: HealthProbe.exec(['/bin/live'], { periodSeconds: 30 }),
    });
    const objects = synth(chart);
    expect(objects.filter((o) => o.kind === 'Service')).toEqual([]);
    const c = find(objects, 'Deployment', 'worker').spec.template.spec.containers[0];
    expect(c.readinessProbe.exec).toEqual({ command: ['/bin/ready'] });
    expect(c.livenessProbe).toEqual({
      exec: { command: ['/bin/live'] },
      initialDelaySeconds: 15,
      periodSeconds: 30,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    expect(c.ports).toBeUndefined();
  });

  it('adds NET_BIND_SERVICE only when asked, and no other capability', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'edge', { image: IMAGE, port: 443, netBindService: true });
    const c = find(synth(chart), 'Deployment', 'edge').spec.template.spec.containers[0];
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  });

  it('mounts the service account token only when the account has API rules', () => {
    const { chart } = shopChart();
    const sa = new LeastPrivilegeServiceAccount(chart, 'api-sa', {
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['api-config'] }],
    });
    const noRules = new LeastPrivilegeServiceAccount(chart, 'quiet-sa');
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, serviceAccount: sa });
    new HardenedDeployment(chart, 'quiet', { image: IMAGE, port: 8080, serviceAccount: noRules });
    const objects = synth(chart);
    const api = find(objects, 'Deployment', 'api').spec.template.spec;
    expect(api.serviceAccountName).toBe('api-sa');
    // Never automounted: an explicit, short-lived, read-only projected token where client libraries look.
    expect(api.automountServiceAccountToken).toBe(false);
    expect(api.volumes).toContainEqual({
      name: 'kube-api-access',
      projected: {
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    });
    expect(api.containers[0].volumeMounts).toContainEqual({
      name: 'kube-api-access',
      mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
      readOnly: true,
    });
    const quiet = find(objects, 'Deployment', 'quiet').spec.template.spec;
    expect(quiet.serviceAccountName).toBe('quiet-sa');
    expect(quiet.automountServiceAccountToken).toBe(false);
    expect(quiet.volumes.map((v: { name: string }) => v.name)).toEqual(['rw-tmp']);
    // No ServiceAccount of its own when one is given.
    expect(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name)).toEqual([
      'api-sa',
      'quiet-sa',
    ]);
  });

  it('derives limits from larger requests and keeps given values', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'big', {
      image: IMAGE,
      port: 8080,
      cpuRequest: '2',
      memoryRequest: '1Gi',
      memoryLimit: '2Gi',
      ephemeralStorageLimit: '1Gi',
    });
    const c = find(synth(chart), 'Deployment', 'big').spec.template.spec.containers[0];
    expect(c.resources).toEqual({
      requests: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '1Gi' },
    });
  });

  it('turns writable paths into emptyDir mounts', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080, writablePaths: ['/tmp', '/var/cache/nginx/'] });
    const pod = find(synth(chart), 'Deployment', 'web').spec.template.spec;
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'rw-tmp', mountPath: '/tmp' },
      { name: 'rw-var-cache-nginx', mountPath: '/var/cache/nginx' },
    ]);
    expect(pod.volumes.map((v: { emptyDir: unknown }) => v.emptyDir)).toEqual([
      { sizeLimit: '64Mi' },
      { sizeLimit: '64Mi' },
    ]);
  });

  it('records exemptions as annotations on the Deployment and its pod template', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'legacy', {
      image: 'ghcr.io/acme/legacy:1.4.2',
      port: 8080,
      exemptions: [{ rule: 'image-digest', reason: 'vendor publishes tags only; digest pinning tracked in OPS-42' }],
    });
    const deploy = find(synth(chart), 'Deployment', 'legacy');
    const expected = {
      'exempt.bulwark.dev/image-digest': 'vendor publishes tags only; digest pinning tracked in OPS-42',
    };
    expect(deploy.metadata.annotations).toEqual(expected);
    expect(deploy.spec.template.metadata.annotations).toEqual(expected);
    expect(deploy.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/legacy:1.4.2');
  });

  describe('network', () => {
    it('gives each workload its own ingress policy that admits nothing by default', () => {
      const { chart } = shopChart();
      new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
      const objects = synth(chart);
      const np = find(objects, 'NetworkPolicy', 'api-ingress');
      expect(np.spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        policyTypes: ['Ingress'],
        ingress: [],
      });
      expect(objects.some((o) => o.metadata.name === 'api-egress')).toBe(false);
    });

    it('allowFrom opens ingress on the target and egress on the source, by labels and port', () => {
      const { chart } = shopChart();
      const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
      const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
      api.allowFrom(web);
      api.allowFrom(web); // idempotent
      const objects = synth(chart);
      expect(find(objects, 'NetworkPolicy', 'api-ingress').spec.ingress).toEqual([
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ]);
      expect(find(objects, 'NetworkPolicy', 'web-egress').spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }],
            ports: [{ protocol: 'TCP', port: 8080 }],
          },
        ],
      });
      expect(find(objects, 'NetworkPolicy', 'web-ingress').spec.ingress).toEqual([]);
      expect(objects.some((o) => o.metadata.name === 'api-egress')).toBe(false);
    });

    it('allowTo across namespaces selects the peer namespace by its name label', () => {
      const { app, chart } = shopChart('web');
      const dataChart = new (require('cdk8s').Chart)(app, 'data', { namespace: 'data' });
      const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
      const cache = new HardenedDeployment(dataChart, 'cache', { image: IMAGE, port: 6379 });
      web.allowTo(cache);
      const webObjects = synth(chart);
      expect(find(webObjects, 'NetworkPolicy', 'web-egress').spec.egress).toEqual([
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cache' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 6379 }],
        },
      ]);
      expect(find(synth(dataChart), 'NetworkPolicy', 'cache-ingress').spec.ingress).toEqual([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 6379 }],
        },
      ]);
    });

    it('accepts a label peer and an explicit port the workload declares', () => {
      const { chart } = shopChart();
      const api = new HardenedDeployment(chart, 'api', {
        image: IMAGE,
        port: 8080,
        ports: [{ name: 'admin', port: 8081 }],
      });
      api.allowFrom({ namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }, 8081);
      expect(find(synth(chart), 'NetworkPolicy', 'api-ingress').spec.ingress).toEqual([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8081 }],
        },
      ]);
    });
  });
});
