import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const service = (spec: string, annotations = '') => `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop${annotations ? `, annotations: ${annotations}` : ''} }
spec: ${spec}
`;
const ANN = 'service.beta.kubernetes.io/load-balancer-source-ranges';

describeRuleFixtures('service-loadbalancer-source-ranges');

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
