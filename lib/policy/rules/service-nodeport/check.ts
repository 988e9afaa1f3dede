import { asRecord } from '../../../k8s/k8s-object';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const serviceNodePort = defineRule({
  id: 'service-nodeport',
  title: 'Services must not be of type NodePort',
  severity: 'error',
  group: 'service',
  scope: 'object',
  kinds: ['Service'],
  references: {
    nsa: ['Network separation and hardening'],
    owasp: ['K07'],
  },
  remediation:
    'Use type ClusterIP and expose the workload through an Ingress or Gateway with TLS; NodePort opens the port on every node.',
  check(object) {
    const spec = asRecord(object.spec);
    if (spec.type !== 'NodePort') return NO_VIOLATIONS;
    return [{ message: `Service type is NodePort`, path: 'spec.type' }];
  },
});
