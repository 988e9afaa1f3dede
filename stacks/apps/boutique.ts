import { App, Chart } from 'cdk8s';
import {
  ContainerSpec,
  DefaultDenyNamespace,
  HardenedConfigMap,
  HardenedDeployment,
  HardenedIngress,
  HardenedStatefulSet,
  HealthProbe,
} from '../../lib';
import { exampleDigest } from './example-images';

// Online Boutique (GoogleCloudPlatform/microservices-demo, release/v0.10.x kubernetes-manifests), ported to bulwark
// without escape hatches (no patches of the written objects): 11 services, a Redis cart store and a load generator; every connection opened explicitly.
const REGISTRY = 'us-central1-docker.pkg.dev/google-samples/microservices-demo';
const image = (name: string) => `${REGISTRY}/${name}@${exampleDigest(`boutique/${name}`)}`;
// Upstream runs every service as uid/gid 1000.
const pod = { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, allowedRegistries: [REGISTRY, 'docker.io/library'] };
const grpc = (port: number) => ({
  ports: [{ name: 'grpc', port, appProtocol: 'grpc' }],
  readinessProbe: HealthProbe.grpc({ port: 'grpc', periodSeconds: 5 }),
  livenessProbe: HealthProbe.grpc({ port: 'grpc', periodSeconds: 5 }),
  fieldEnv: { POD_NAME: 'metadata.name' },
});
const small = { cpuRequest: '100m', cpuLimit: '200m', memoryRequest: '64Mi', memoryLimit: '128Mi' };

export function buildBoutique(app: App): void {
  const chart = new Chart(app, 'boutique', { namespace: 'boutique' });
  new DefaultDenyNamespace(chart, 'Namespace', { name: 'boutique' });
  const service = (
    name: string,
    port: number,
    extra: Partial<ConstructorParameters<typeof HardenedDeployment>[2]> = {},
  ) =>
    new HardenedDeployment(chart, name, {
      image: image(name),
      ...pod,
      ...small,
      ...grpc(port),
      env: { PORT: String(port) },
      ...extra,
    });

  const catalog = service('productcatalogservice', 3550);
  const currency = service('currencyservice', 7000, { env: { PORT: '7000', DISABLE_PROFILER: '1' } });
  const payment = service('paymentservice', 50051, { env: { PORT: '50051', DISABLE_PROFILER: '1' } });
  const shipping = service('shippingservice', 50051);
  const email = service('emailservice', 8080, { env: { PORT: '8080', DISABLE_PROFILER: '1' } });
  const ad = service('adservice', 9555, { cpuLimit: '300m', memoryRequest: '180Mi', memoryLimit: '300Mi' });
  const recommendation = service('recommendationservice', 8080, {
    env: { PORT: '8080', PRODUCT_CATALOG_SERVICE_ADDR: 'productcatalogservice:3550', DISABLE_PROFILER: '1' },
    memoryRequest: '220Mi',
    memoryLimit: '450Mi',
  });

  // The cart store: one Redis instance (replicas 1: a second one would be an independent, empty cart store).
  const redis = new HardenedStatefulSet(chart, 'redis-cart', {
    image: `docker.io/library/redis@${exampleDigest('redis:alpine')}`,
    ...pod,
    replicas: 1,
    ports: [{ name: 'redis', port: 6379, appProtocol: 'redis' }],
    readinessProbe: HealthProbe.tcp({ port: 'redis' }),
    livenessProbe: HealthProbe.tcp({ port: 'redis' }),
    volumeClaims: [{ name: 'data', mountPath: '/data', size: '1Gi' }],
    cpuRequest: '70m',
    cpuLimit: '125m',
    memoryRequest: '200Mi',
    memoryLimit: '256Mi',
  });
  const cart = service('cartservice', 7070, {
    env: { REDIS_ADDR: 'redis-cart:6379' },
    cpuLimit: '300m',
    readinessProbe: HealthProbe.grpc({ port: 'grpc', initialDelaySeconds: 15 }),
    livenessProbe: HealthProbe.grpc({ port: 'grpc', initialDelaySeconds: 15, periodSeconds: 10 }),
  });
  const checkout = service('checkoutservice', 5050, {
    env: {
      PORT: '5050',
      PRODUCT_CATALOG_SERVICE_ADDR: 'productcatalogservice:3550',
      SHIPPING_SERVICE_ADDR: 'shippingservice:50051',
      PAYMENT_SERVICE_ADDR: 'paymentservice:50051',
      EMAIL_SERVICE_ADDR: 'emailservice:8080',
      CURRENCY_SERVICE_ADDR: 'currencyservice:7000',
      CART_SERVICE_ADDR: 'cartservice:7070',
    },
  });

  // The web frontend: HTTP probes carry upstream's cookie so they do not create sessions; Istio rewrites them.
  const probe = HealthProbe.http('/_healthz', { headers: { Cookie: 'shop_session-id=x-readiness-probe' } });
  const frontend = new HardenedDeployment(chart, 'frontend', {
    image: image('frontend'),
    ...pod,
    ...small,
    port: 8080,
    servicePort: 80,
    readinessProbe: probe,
    livenessProbe: probe,
    podAnnotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'true' },
    fieldEnv: { POD_NAME: 'metadata.name' },
    env: {
      PORT: '8080',
      PRODUCT_CATALOG_SERVICE_ADDR: 'productcatalogservice:3550',
      CURRENCY_SERVICE_ADDR: 'currencyservice:7000',
      CART_SERVICE_ADDR: 'cartservice:7070',
      RECOMMENDATION_SERVICE_ADDR: 'recommendationservice:8080',
      SHIPPING_SERVICE_ADDR: 'shippingservice:50051',
      CHECKOUT_SERVICE_ADDR: 'checkoutservice:5050',
      AD_SERVICE_ADDR: 'adservice:9555',
      ENABLE_PROFILER: '0',
    },
  });
  new HardenedIngress(chart, 'frontend-ingress', {
    backend: frontend,
    hosts: ['boutique.example.com'],
    tls: { clusterIssuer: 'letsencrypt' },
  });

  // The load generator waits for the frontend in an init container, then runs locust with its users in a ConfigMap.
  const locust = new HardenedConfigMap(chart, 'loadgenerator-config', { data: { USERS: '10', RATE: '1' } });
  const frontendCheck: ContainerSpec = {
    name: 'frontend-check',
    image: `docker.io/library/busybox@${exampleDigest('busybox:latest')}`,
    command: ['/bin/sh', '-c', 'until wget -q -O /dev/null http://frontend:80; do sleep 2; done'],
    ...small,
  };
  const loadgen = new HardenedDeployment(chart, 'loadgenerator', {
    image: image('loadgenerator'),
    ...pod,
    replicas: 1,
    cpuRequest: '300m',
    cpuLimit: '500m',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
    initContainers: [frontendCheck],
    env: { FRONTEND_ADDR: 'frontend:80' },
    configEnv: { USERS: { config: locust, key: 'USERS' }, RATE: { config: locust, key: 'RATE' } },
    terminationGracePeriodSeconds: 5,
    exemptions: [{ rule: 'workload-probes', reason: 'locust serves nothing; it exits on failure and is restarted' }],
  });

  for (const peer of [catalog, currency, cart, recommendation, shipping, checkout, ad]) frontend.allowTo(peer);
  for (const peer of [catalog, shipping, payment, email, currency, cart]) checkout.allowTo(peer);
  recommendation.allowTo(catalog);
  cart.allowTo(redis, 'redis');
  loadgen.allowTo(frontend);
}
