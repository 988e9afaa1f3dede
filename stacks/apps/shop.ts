import { App, Chart } from 'cdk8s';
import {
  DefaultDenyNamespace,
  ExternalSecret,
  HardenedCronJob,
  HardenedDeployment,
  HardenedIngress,
  HardenedJob,
  HardenedStatefulSet,
  HealthProbe,
  LeastPrivilegeServiceAccount,
  SecretProviderClass,
} from '../../lib';
import { exampleDigest as digest } from './example-images';

const REGISTRY = 'ghcr.io/acme';
const image = (name: string) => `${REGISTRY}/${name}@${digest(name)}`;
const allowedRegistries = [REGISTRY];

/**
 * The example shop: three tiers, one namespace each, every connection opened explicitly.
 *
 *   internet ─TLS─► ingress-nginx ──► storefront/web ──► orders/orders-api ──► data/cache
 *                                          └──────────► orders/catalog-api ──┘
 *   orders/orders-api, orders/schema-migrate, orders/nightly-report ──► data/orders-db (StatefulSet)
 *   data/ledger (worker, on the isolated 'sensitive' node pool) ──► orders/orders-api
 * Credentials come from an external store (External Secrets Operator, Secrets Store CSI), never from the manifests.
 */
export function buildShop(app: App): void {
  const storefront = new Chart(app, 'storefront', { namespace: 'storefront' });
  const orders = new Chart(app, 'orders', { namespace: 'orders' });
  const data = new Chart(app, 'data', { namespace: 'data' });
  for (const chart of [storefront, orders, data]) {
    new DefaultDenyNamespace(chart, 'Namespace', { name: chart.namespace });
  }

  const web = new HardenedDeployment(storefront, 'web', {
    image: image('storefront-web'),
    port: 8080,
    replicas: 3,
    readinessProbe: HealthProbe.http('/healthz/ready'),
    livenessProbe: HealthProbe.http('/healthz/live'),
    writablePaths: ['/tmp', '/var/cache/nginx'],
    allowedRegistries,
  });

  // A vendor component that is published with signed tags only: the exemption is the documented way out, and every
  // audit (synth, CLI, admission, report) lists it with its reason.
  const statusPage = new HardenedDeployment(storefront, 'status-page', {
    image: `${REGISTRY}/vendor-status-page:3.2.1`,
    port: 8080,
    readinessProbe: HealthProbe.http('/status'),
    livenessProbe: HealthProbe.http('/status'),
    allowedRegistries,
    exemptions: [
      { rule: 'image-digest', reason: 'vendor publishes signed tags only; digest pinning tracked in PLAT-112' },
    ],
  });
  statusPage.allowFrom(web);

  const ordersDbCredentials = new ExternalSecret(orders, 'orders-db-credentials', {
    store: 'vault-backend',
    data: [
      { key: 'username', remoteKey: 'shop/orders-db', property: 'username' },
      { key: 'password', remoteKey: 'shop/orders-db', property: 'password' },
    ],
  });
  const ordersSa = new LeastPrivilegeServiceAccount(orders, 'orders-api-sa', {
    name: 'orders-api',
    rules: [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: ['orders-api-config'] },
    ],
  });
  const ordersApi = new HardenedDeployment(orders, 'orders-api', {
    image: image('orders-api'),
    port: 8080,
    serviceAccount: ordersSa,
    autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 65 },
    secretFiles: [{ source: ordersDbCredentials, mountPath: '/var/run/secrets/db' }],
    cpuRequest: '250m',
    cpuLimit: '1',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
    readinessProbe: HealthProbe.http('/ready'),
    livenessProbe: HealthProbe.http('/live'),
    env: { LOG_FORMAT: 'json', CACHE_URL: 'redis://cache.data.svc:6379' },
    allowedRegistries,
  });
  const catalogApi = new HardenedDeployment(orders, 'catalog-api', {
    image: image('catalog-api'),
    port: 9090,
    readinessProbe: HealthProbe.grpc(),
    livenessProbe: HealthProbe.grpc(),
    allowedRegistries,
  });

  const cache = new HardenedDeployment(data, 'cache', {
    image: image('cache'),
    port: 6379,
    replicas: 2,
    memoryRequest: '512Mi',
    memoryLimit: '512Mi',
    writablePaths: ['/tmp', '/data'],
    writablePathSizeLimit: '128Mi',
    args: ['--save', '', '--appendonly', 'no'],
    allowedRegistries,
  });
  const signingKey = new SecretProviderClass(data, 'ledger-signing-key', {
    provider: 'aws',
    parameters: { objects: '- objectName: "shop/ledger-signing-key"\n  objectType: "secretsmanager"' },
  });

  const ledger = new HardenedDeployment(data, 'ledger', {
    image: image('ledger-worker'),
    // Signs ledger entries: runs on the isolated node pool, key mounted from AWS Secrets Manager.
    isolation: { pool: 'sensitive' },
    secretFiles: [{ source: signingKey, mountPath: '/var/run/secrets/signing' }],
    readinessProbe: HealthProbe.exec(['/app/healthcheck', '--ready']),
    livenessProbe: HealthProbe.exec(['/app/healthcheck', '--live']),
    allowedRegistries,
  });

  new HardenedIngress(storefront, 'web-ingress', {
    backend: web,
    hosts: ['shop.example.com', 'www.shop.example.com'],
    tls: { clusterIssuer: 'letsencrypt' },
  });

  const dbCredentials = new ExternalSecret(data, 'orders-db-credentials', {
    store: 'vault-backend',
    data: [{ key: 'password', remoteKey: 'shop/orders-db', property: 'password' }],
  });
  const ordersDb = new HardenedStatefulSet(data, 'orders-db', {
    image: image('postgres'),
    port: 5432,
    replicas: 3,
    cpuRequest: '500m',
    cpuLimit: '2',
    memoryRequest: '1Gi',
    memoryLimit: '2Gi',
    volumeClaims: [
      { name: 'data', mountPath: '/var/lib/postgresql/data', size: '50Gi', storageClassName: 'encrypted' },
    ],
    writablePaths: ['/tmp', '/var/run/postgresql'],
    secretFiles: [{ source: dbCredentials, mountPath: '/var/run/secrets/db' }],
    readinessProbe: HealthProbe.exec(['pg_isready', '-h', '127.0.0.1']),
    livenessProbe: HealthProbe.tcp(),
    isolation: { pool: 'sensitive' },
    allowedRegistries,
  });
  const migrate = new HardenedJob(orders, 'schema-migrate', {
    image: image('orders-migrations'),
    args: ['migrate', 'up'],
    activeDeadlineSeconds: 600,
    secretEnv: { DB_PASSWORD: { source: ordersDbCredentials, key: 'password' } },
    allowedRegistries,
  });
  const report = new HardenedCronJob(orders, 'nightly-report', {
    image: image('orders-report'),
    schedule: '30 2 * * *',
    timeZone: 'Europe/Berlin',
    secretFiles: [{ source: ordersDbCredentials, mountPath: '/var/run/secrets/db' }],
    allowedRegistries,
  });
  ordersApi.allowFrom(web);
  catalogApi.allowFrom(web);
  cache.allowFrom(ordersApi);
  cache.allowFrom(catalogApi);
  ledger.allowTo(ordersApi);
  for (const client of [ordersApi, migrate, report]) ordersDb.allowFrom(client);
}
