import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const service = (spec: string, annotations = '') => `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop${annotations ? `, annotations: ${annotations}` : ''} }
spec: ${spec}
`;

describeRuleFixtures('service-external-ips');

describe('service-external-ips', () => {
  it('reports non-empty externalIPs only', () => {
    expect(findingsOf('service-external-ips', service('{ externalIPs: [192.0.2.1, 192.0.2.2] }'))).toEqual([
      'Service web spec.externalIPs: spec.externalIPs is set (192.0.2.1, 192.0.2.2); remove it and expose the Service through a LoadBalancer or Ingress',
    ]);
    expect(findingsOf('service-external-ips', service('{ externalIPs: [] }'))).toEqual([]);
  });
});
