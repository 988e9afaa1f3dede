import { ExternalSecret, HardenedDeployment, SecretProviderClass } from '../../lib';
import { find, IMAGE, shopChart, synth } from '../helpers/charts';

describe('secrets from external stores', () => {
  const { chart } = shopChart();
  const db = new ExternalSecret(chart, 'db-credentials', {
    store: 'vault-backend',
    data: [
      { key: 'username', remoteKey: 'shop/db', property: 'username' },
      { key: 'password', remoteKey: 'shop/db', property: 'password' },
    ],
  });
  const tls = new SecretProviderClass(chart, 'api-tls', {
    provider: 'aws',
    parameters: { objects: '- objectName: "shop/api-tls"\n  objectType: "secretsmanager"' },
  });
  new HardenedDeployment(chart, 'api', {
    image: IMAGE,
    port: 8080,
    secretFiles: [
      { source: db, mountPath: '/var/run/secrets/db' },
      { source: tls, mountPath: '/var/run/secrets/tls/' },
    ],
    secretEnv: { DB_USER: { source: db, key: 'username' } },
  });
  const objects = synth(chart);

  it('emits references to the store, never a Secret with data', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(find(objects, 'ExternalSecret', 'db-credentials')).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: 'vault-backend' },
        target: { name: 'db-credentials', creationPolicy: 'Owner', deletionPolicy: 'Delete' },
        data: [
          { secretKey: 'username', remoteRef: { key: 'shop/db', property: 'username' } },
          { secretKey: 'password', remoteRef: { key: 'shop/db', property: 'password' } },
        ],
      },
    });
    expect(find(objects, 'SecretProviderClass', 'api-tls').spec.provider).toBe('aws');
  });

  it('mounts them read-only, as files or env from the materialized secret, granting no RBAC', () => {
    const pod = find(objects, 'Deployment', 'api').spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'rw-tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'secret-1', secret: { secretName: 'db-credentials', defaultMode: 0o440 } },
      {
        name: 'secret-2',
        csi: {
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          volumeAttributes: { secretProviderClass: 'api-tls' },
        },
      },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'rw-tmp', mountPath: '/tmp' },
      { name: 'secret-1', mountPath: '/var/run/secrets/db', readOnly: true },
      { name: 'secret-2', mountPath: '/var/run/secrets/tls', readOnly: true },
    ]);
    expect(pod.containers[0].env).toEqual([
      { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'username' } } },
    ]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding')).toEqual([]);
  });
});
