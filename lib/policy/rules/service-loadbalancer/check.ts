import { asRecord } from '../../../k8s/k8s-object';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const serviceLoadBalancer = defineRule({
  id: 'service-loadbalancer',
  title: 'LoadBalancer Services need a reviewed exemption',
  severity: 'error',
  group: 'service',
  scope: 'object',
  kinds: ['Service'],
  references: {
    nsa: ['Network separation and hardening'],
    owasp: ['K07'],
  },
  remediation:
    'Expose HTTP(S) through an Ingress with TLS. Where a cloud load balancer is really needed, restrict spec.loadBalancerSourceRanges and record the decision as the exemption annotation exempt.bulwark.dev/service-loadbalancer: <reason>.',
  check(object) {
    if (asRecord(object.spec).type !== 'LoadBalancer') return NO_VIOLATIONS;
    return [
      {
        message: 'Service type is LoadBalancer, which opens the workload to networks outside the cluster',
        path: 'spec.type',
      },
    ];
  },
});
