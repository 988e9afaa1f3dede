import { findingsOf } from '../../helpers/run-rule';

const service = (spec: string, annotations = '') => `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop${annotations ? `, annotations: ${annotations}` : ''} }
spec: ${spec}
`;
const ANN = 'service.beta.kubernetes.io/load-balancer-source-ranges';

describe('service-loadbalancer-source-ranges', () => {
  it('reports each open range, in the field or in the annotation', () => {
    expect(
      findingsOf(
        'service-loadbalancer-source-ranges',
        service('{ type: LoadBalancer, loadBalancerSourceRanges: [10.0.0.0/8, 0.0.0.0/0, "::/0"] }'),
      ),
    ).toEqual([
      "Service web spec.loadBalancerSourceRanges[1]: spec.loadBalancerSourceRanges contains '0.0.0.0/0', which admits every address; replace it with the client CIDRs allowed to reach the Service",
      "Service web spec.loadBalancerSourceRanges[2]: spec.loadBalancerSourceRanges contains '::/0', which admits every address; replace it with the client CIDRs allowed to reach the Service",
    ]);
    expect(
      findingsOf(
        'service-loadbalancer-source-ranges',
        service('{ type: LoadBalancer }', `{ ${ANN}: "10.0.0.0/8, 0.0.0.0/0" }`),
      ),
    ).toEqual([
      `Service web metadata.annotations['${ANN}']: metadata.annotations['${ANN}'] contains '0.0.0.0/0', which admits every address; replace it with the client CIDRs allowed to reach the Service`,
    ]);
  });

  it('prefers the field over the annotation, as cloud providers do', () => {
    expect(
      findingsOf(
        'service-loadbalancer-source-ranges',
        service('{ type: LoadBalancer, loadBalancerSourceRanges: [10.0.0.0/8] }', `{ ${ANN}: 0.0.0.0/0 }`),
      ),
    ).toEqual([]);
  });

  it('reports a LoadBalancer without ranges and ignores other types', () => {
    expect(
      findingsOf('service-loadbalancer-source-ranges', service('{ type: LoadBalancer, loadBalancerSourceRanges: [] }')),
    ).toEqual([
      'Service web spec.loadBalancerSourceRanges: Service type LoadBalancer sets no spec.loadBalancerSourceRanges, so the load balancer accepts traffic from any address; list the client CIDRs allowed to reach it',
    ]);
    expect(findingsOf('service-loadbalancer-source-ranges', service('{ type: NodePort }'))).toEqual([]);
  });
});

describe('service-external-ips', () => {
  it('reports non-empty externalIPs only', () => {
    expect(findingsOf('service-external-ips', service('{ externalIPs: [192.0.2.1, 192.0.2.2] }'))).toEqual([
      'Service web spec.externalIPs: spec.externalIPs is set (192.0.2.1, 192.0.2.2); remove it and expose the Service through a LoadBalancer or Ingress',
    ]);
    expect(findingsOf('service-external-ips', service('{ externalIPs: [] }'))).toEqual([]);
  });
});

describe('secret-literal-data', () => {
  it('names the keys and never the values', () => {
    const found = findingsOf(
      'secret-literal-data',
      'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { a: c2VjcmV0 }\nstringData: { b: hunter2 }\n',
    );
    expect(found).toEqual([
      'Secret s data: Secret has literal values in data (keys: a); deliver them from an external secret store instead',
      'Secret s stringData: Secret has literal values in stringData (keys: b); deliver them from an external secret store instead',
    ]);
    expect(found.join()).not.toMatch(/hunter2|c2VjcmV0/);
  });
});

describe('ingress-tls', () => {
  const ingress = (spec: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec: ${spec}
`;
  it('reports rules without host when tls names hosts, once, and each uncovered host once', () => {
    expect(
      findingsOf(
        'ingress-tls',
        ingress(
          '{ tls: [{ hosts: [a.example.com], secretName: t }], rules: [{ host: a.example.com }, { host: b.example.com }, {}, {}, { host: b.example.com }] }',
        ),
      ),
    ).toEqual([
      'Ingress web spec.tls: spec.rules hosts b.example.com, (rule without host) are not in any spec.tls[].hosts (a.example.com), so they are served without TLS; add them to spec.tls',
    ]);
  });

  it('treats a tls entry without hosts as covering every host, and needs tls for a default backend', () => {
    expect(
      findingsOf('ingress-tls', ingress('{ tls: [{ secretName: t }], rules: [{ host: a.example.com }] }')),
    ).toEqual([]);
    expect(
      findingsOf('ingress-tls', ingress('{ defaultBackend: { service: { name: web, port: { number: 80 } } } }')),
    ).toEqual([
      'Ingress web spec.tls: Ingress has no spec.tls, so it serves plain HTTP; add a spec.tls entry for its hosts',
    ]);
    expect(findingsOf('ingress-tls', ingress('{}'))).toEqual([]);
  });
});
