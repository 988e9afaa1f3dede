import { HardenedStatefulSet } from '../../lib';
import { find, IMAGE, shopChart, synth } from '../helpers/charts';

describe('HardenedStatefulSet', () => {
  const { chart } = shopChart();
  new HardenedStatefulSet(chart, 'db', {
    image: IMAGE,
    port: 5432,
    replicas: 3,
    volumeClaims: [
      { name: 'data', mountPath: '/var/lib/postgresql/data', size: '20Gi', storageClassName: 'encrypted-gp3' },
    ],
    writablePaths: ['/tmp', '/var/run/postgresql'],
  });
  const objects = synth(chart);
  const sts = find(objects, 'StatefulSet', 'db');

  it('uses the shared hardened pod, with fsGroup owning the volumes', () => {
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const c = pod.containers[0];
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.volumeMounts).toEqual([
      { name: 'rw-tmp', mountPath: '/tmp' },
      { name: 'rw-var-run-postgresql', mountPath: '/var/run/postgresql' },
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
    ]);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('claims storage per replica and keeps it when deleted or scaled down', () => {
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('db');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: {
          name: 'data',
          labels: {
            'app.kubernetes.io/name': 'db',
            'app.kubernetes.io/component': 'workload',
            'app.kubernetes.io/managed-by': 'bulwark',
          },
        },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '20Gi' } },
          storageClassName: 'encrypted-gp3',
        },
      },
    ]);
  });

  it('has a headless Service and a PodDisruptionBudget', () => {
    expect(find(objects, 'Service', 'db').spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': 'db' },
      ports: [{ name: 'main', port: 5432, targetPort: 'main', protocol: 'TCP' }],
    });
    expect(find(objects, 'PodDisruptionBudget', 'db').spec.maxUnavailable).toBe(1);
    expect(find(objects, 'NetworkPolicy', 'db-ingress').spec.ingress).toEqual([]);
  });
});
