import { asArray, asRecord } from '../../../k8s/k8s-object';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const serviceExternalIps = defineRule({
  id: 'service-external-ips',
  title: 'Services must not set externalIPs',
  severity: 'error',
  group: 'service',
  scope: 'object',
  kinds: ['Service'],
  references: {
    nsa: ['Network separation and hardening'],
    owasp: ['K07'],
  },
  remediation:
    'Remove spec.externalIPs and expose the Service through a LoadBalancer with source ranges or an Ingress/Gateway; externalIPs let anyone who can create a Service intercept traffic to those addresses (CVE-2020-8554).',
  check(object) {
    const ips = asArray(asRecord(object.spec).externalIPs);
    if (ips.length === 0) return NO_VIOLATIONS;
    return [
      {
        message: `spec.externalIPs is set (${ips.map(String).join(', ')}); remove it and expose the Service through a LoadBalancer or Ingress`,
        path: 'spec.externalIPs',
      },
    ];
  },
});
