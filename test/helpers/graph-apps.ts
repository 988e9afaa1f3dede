import { App, Chart, Testing } from 'cdk8s';
import { DefaultDenyNamespace } from '../../lib/namespaces/default-deny-namespace';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { HardenedDeployment } from '../../lib/workloads/hardened-deployment';
import { DIGEST } from './charts';

/** The ingress controller's pods, as a peer outside the app. */
const INGRESS_CONTROLLER = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };

function synthAll(app: App): K8sObject[] {
  return app.charts.flatMap((c) => Testing.synth(c) as K8sObject[]);
}

/**
 * GoogleCloudPlatform/microservices-demo's 11 services as bulwark writes them: one namespace, default deny, the
 * frontend reached from the ingress controller, and each gRPC call of the demo opened with allowFrom on the
 * callee's port (ports and calls from the demo's release manifests).
 */
export function boutiqueApp(): K8sObject[] {
  const app = Testing.app();
  const chart = new Chart(app, 'boutique', { namespace: 'boutique' });
  new DefaultDenyNamespace(chart, 'ns', { name: 'boutique' });
  const ports: Record<string, number> = {
    frontend: 8080,
    cartservice: 7070,
    'redis-cart': 6379,
    productcatalogservice: 3550,
    currencyservice: 7000,
    paymentservice: 50051,
    shippingservice: 50051,
    emailservice: 8080,
    checkoutservice: 5050,
    recommendationservice: 8080,
    adservice: 9555,
  };
  const s: Record<string, HardenedDeployment> = {};
  for (const [name, port] of Object.entries(ports)) {
    s[name] = new HardenedDeployment(chart, name, { image: `ghcr.io/boutique/${name}@${DIGEST}`, port });
  }
  const calls: Record<string, string[]> = {
    frontend: [
      'productcatalogservice',
      'currencyservice',
      'cartservice',
      'recommendationservice',
      'shippingservice',
      'checkoutservice',
      'adservice',
    ],
    checkoutservice: [
      'productcatalogservice',
      'shippingservice',
      'paymentservice',
      'emailservice',
      'currencyservice',
      'cartservice',
    ],
    recommendationservice: ['productcatalogservice'],
    cartservice: ['redis-cart'],
  };
  for (const [caller, callees] of Object.entries(calls)) for (const callee of callees) s[callee].allowFrom(s[caller]);
  s.frontend.allowFrom(INGRESS_CONTROLLER);
  return synthAll(app);
}

/**
 * 100 workloads the way a platform of teams looks: a `platform` namespace of shared services (auth, billing and their
 * stores) and 9 team namespaces of 10 services each. In a team the gateway, reached from the ingress controller, calls
 * three services, each of which calls two more; every team calls the platform's auth and billing.
 */
export function teamsApp(teams = 9): K8sObject[] {
  const app = Testing.app();
  const workload = (chart: Chart, name: string, port: number) =>
    new HardenedDeployment(chart, name, { image: `ghcr.io/acme/${name}@${DIGEST}`, port });
  const platform = new Chart(app, 'platform', { namespace: 'platform' });
  new DefaultDenyNamespace(platform, 'ns', { name: 'platform' });
  const p: Record<string, HardenedDeployment> = {};
  for (const [name, port] of Object.entries({
    auth: 8443,
    'auth-db': 5432,
    sessions: 6379,
    billing: 8080,
    ledger: 8080,
    'ledger-db': 5432,
    invoices: 8080,
    'invoices-store': 9000,
    notifier: 8080,
    mailer: 2525,
  })) {
    p[name] = workload(platform, name, port);
  }
  for (const [callee, caller] of [
    ['auth-db', 'auth'],
    ['sessions', 'auth'],
    ['ledger', 'billing'],
    ['ledger-db', 'ledger'],
    ['invoices', 'billing'],
    ['invoices-store', 'invoices'],
    ['notifier', 'invoices'],
    ['mailer', 'notifier'],
  ]) {
    p[callee].allowFrom(p[caller]);
  }
  for (let t = 0; t < teams; t++) {
    const ns = `team-${String.fromCharCode(97 + t)}`;
    const chart = new Chart(app, ns, { namespace: ns });
    new DefaultDenyNamespace(chart, 'ns', { name: ns });
    const services = Array.from({ length: 10 }, (_, i) =>
      workload(chart, i === 0 ? 'gateway' : `svc-${i}`, 8080 + (i % 3)),
    );
    services[0].allowFrom(INGRESS_CONTROLLER);
    for (let i = 1; i <= 3; i++) services[i].allowFrom(services[0]);
    for (let i = 4; i <= 9; i++) services[i].allowFrom(services[Math.floor((i - 4) / 2) + 1]);
    p.auth.allowFrom(services[1]);
    p.billing.allowFrom(services[2]);
  }
  return synthAll(app);
}
