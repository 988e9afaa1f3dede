import { App, Chart } from 'cdk8s';
import { DefaultDenyNamespace, HardenedDeployment, HealthProbe, LeastPrivilegeServiceAccount } from '../../lib';

/** A stable fake digest per image, so the example is realistic and deterministic. */
function digest(seed: string): string {
  let h = 0x811c9dc5;
  let out = '';
  while (out.length < 64) {
    for (const ch of `${seed}${out.length}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `sha256:${out.slice(0, 64)}`;
}

const REGISTRY = 'ghcr.io/acme';
const image = (name: string) => `${REGISTRY}/${name}@${digest(name)}`;
const allowedRegistries = [REGISTRY];

/**
 * The example shop: three tiers, one namespace each, every connection opened explicitly.
 *
 *   storefront/web ──► orders/orders-api ──► data/cache
 *          └─────────► orders/catalog-api ──┘
 *   data/ledger (worker) ──► orders/orders-api
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
  const ledger = new HardenedDeployment(data, 'ledger', {
    image: image('ledger-worker'),
    readinessProbe: HealthProbe.exec(['/app/healthcheck', '--ready']),
    livenessProbe: HealthProbe.exec(['/app/healthcheck', '--live']),
    allowedRegistries,
  });

  ordersApi.allowFrom(web);
  catalogApi.allowFrom(web);
  cache.allowFrom(ordersApi);
  cache.allowFrom(catalogApi);
  ledger.allowTo(ordersApi);
}
