import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

describeRuleFixtures('ingress-tls');

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
