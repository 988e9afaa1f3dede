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
