import { HardenedDeployment, HardenedIngress } from '../../lib';
import { find, IMAGE, shopChart, synth } from '../helpers/charts';

describe('HardenedIngress', () => {
  it('terminates TLS for its exact hosts through cert-manager and opens only controller -> backend', () => {
    const { chart } = shopChart();
    const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080, servicePort: 80 });
    new HardenedIngress(chart, 'web-ingress', {
      backend: web,
      hosts: ['shop.example.com', 'www.shop.example.com'],
      tls: { clusterIssuer: 'letsencrypt' },
    });
    const objects = synth(chart);
    const ing = find(objects, 'Ingress', 'web-ingress');
    expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com', 'www.shop.example.com'], secretName: 'web-ingress-tls' }],
      rules: ['shop.example.com', 'www.shop.example.com'].map((host) => ({
        host,
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
        },
      })),
    });
    expect(find(objects, 'NetworkPolicy', 'web-ingress').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.spec.type)).toEqual(['ClusterIP']);
  });

  it('accepts a wildcard host only with an exemption, recorded on the Ingress', () => {
    const { chart } = shopChart();
    const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
    new HardenedIngress(chart, 'tenants', {
      backend: web,
      hosts: ['*.tenants.example.com'],
      tls: { secretName: 'tenants-wildcard-tls' },
      controller: { namespace: 'traefik', podLabels: { 'app.kubernetes.io/name': 'traefik' } },
      ingressClassName: 'traefik',
      exemptions: [{ rule: 'ingress-wildcard-host', reason: 'one host per tenant, provisioned at runtime' }],
    });
    const ing = find(synth(chart), 'Ingress', 'tenants');
    expect(ing.metadata.annotations).toEqual({
      'exempt.bulwark.dev/ingress-wildcard-host': 'one host per tenant, provisioned at runtime',
    });
    expect(ing.spec.tls).toEqual([{ hosts: ['*.tenants.example.com'], secretName: 'tenants-wildcard-tls' }]);
  });

  it('takes Secret, Issuer and IngressClass names as the API server does: DNS-1123 subdomains, dots included', () => {
    const { chart } = shopChart();
    const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
    new HardenedIngress(chart, 'dotted', {
      backend: web,
      hosts: ['shop.example.com'],
      tls: { secretName: 'shop.example.com-tls', issuer: 'letsencrypt.prod' },
      ingressClassName: 'nginx.internal',
    });
    // A 63-character Ingress name: its default Secret name '<name>-tls' has 67, too long for a label, fine for a
    // subdomain (the Secret's kind).
    const long = 'a'.repeat(63);
    new HardenedIngress(chart, 'long', {
      backend: web,
      name: long,
      hosts: ['www.example.com'],
      tls: { clusterIssuer: 'le' },
    });
    const objects = synth(chart);
    const dotted = find(objects, 'Ingress', 'dotted');
    expect(dotted.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop.example.com-tls' }]);
    expect(dotted.spec.ingressClassName).toBe('nginx.internal');
    expect(dotted.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'letsencrypt.prod' });
    expect(find(objects, 'Ingress', long).spec.tls[0].secretName).toBe(`${long}-tls`);
  });

  it('refuses a Secret name the API server would refuse, saying what a subdomain allows', () => {
    const { chart } = shopChart();
    const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
    expect(
      () =>
        new HardenedIngress(chart, 'bad', {
          backend: web,
          hosts: ['shop.example.com'],
          tls: { secretName: 'Shop_TLS.' },
        }),
    ).toThrow(
      "HardenedIngress at 'shop/bad': prop 'tls.secretName' received \"Shop_TLS.\" (not a DNS-1123 subdomain). Allowed: lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit, at most 253 characters. Fix: use a name such as \"shop-tls\"",
    );
  });
});

describe('HardenedDeployment exposure', () => {
  it('builds a LoadBalancer restricted to source ranges, with the exemption recorded', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'mqtt', {
      image: IMAGE,
      port: 8883,
      loadBalancer: { sourceRanges: ['203.0.113.0/24', '2001:db8::/48'] },
      exemptions: [{ rule: 'service-loadbalancer', reason: 'MQTT over TLS for field devices; no HTTP ingress' }],
    });
    const objects = synth(chart);
    const lb = find(objects, 'Service', 'mqtt-lb');
    expect(lb.spec).toEqual({
      type: 'LoadBalancer',
      selector: { 'app.kubernetes.io/name': 'mqtt' },
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/48'],
      ports: [{ name: 'main', port: 8883, targetPort: 'main', protocol: 'TCP' }],
    });
    expect(lb.metadata.annotations).toEqual({
      'exempt.bulwark.dev/service-loadbalancer': 'MQTT over TLS for field devices; no HTTP ingress',
    });
    expect(find(objects, 'NetworkPolicy', 'mqtt-ingress').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 8883 }] },
      { from: [{ ipBlock: { cidr: '2001:db8::/48' } }], ports: [{ protocol: 'TCP', port: 8883 }] },
    ]);
  });
});
