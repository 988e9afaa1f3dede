import { isOpenToAll, openToAllReason } from '../../../k8s/cidr';
import { asArray, asRecord } from '../../../k8s/k8s-object';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';

/** Read by cloud providers when spec.loadBalancerSourceRanges is empty (k8s.io/cloud-provider service helpers). */
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export const serviceLoadBalancerSourceRanges = defineRule({
  id: 'service-loadbalancer-source-ranges',
  title: 'LoadBalancer Services must restrict source ranges',
  severity: 'error',
  group: 'service',
  scope: 'object',
  kinds: ['Service'],
  references: {
    nsa: ['Network separation and hardening'],
    owasp: ['K07'],
  },
  remediation:
    'Set spec.loadBalancerSourceRanges to the client CIDRs that need the service (e.g. the office or VPN range), never 0.0.0.0/0 or ::/0; for a deliberately public entry point, exempt the Service with a reason.',
  check(object) {
    const spec = asRecord(object.spec);
    if (spec.type !== 'LoadBalancer') return NO_VIOLATIONS;
    const ranges = asArray(spec.loadBalancerSourceRanges).filter((r): r is string => typeof r === 'string');
    let field = 'spec.loadBalancerSourceRanges';
    let entries = ranges.map((r, i) => ({ cidr: r, path: `${field}[${i}]` }));
    if (ranges.length === 0) {
      const annotation = object.metadata?.annotations?.[SOURCE_RANGES_ANNOTATION];
      if (typeof annotation !== 'string' || annotation.trim() === '') {
        return [
          {
            message: `Service type LoadBalancer sets no spec.loadBalancerSourceRanges, so the load balancer accepts traffic from any address; list the client CIDRs allowed to reach it`,
            path: field,
          },
        ];
      }
      field = `metadata.annotations['${SOURCE_RANGES_ANNOTATION}']`;
      entries = annotation.split(',').map((r) => ({ cidr: r.trim(), path: field }));
    }
    const out: Violation[] = [];
    for (const e of entries) {
      if (!isOpenToAll(e.cidr)) continue;
      out.push({
        message: `${field} contains '${e.cidr}', which admits every address; replace it with the client CIDRs allowed to reach the Service`,
        path: e.path,
      });
    }
    // Ranges that are each narrow can still admit the internet together (0.0.0.0/1 and 128.0.0.0/1).
    const together = out.length === 0 ? openToAllReason(entries.map((e) => e.cidr)) : undefined;
    if (together) {
      out.push({
        message: `${field} admits every address: ${together}; replace them with the client CIDRs allowed to reach the Service`,
        path: field,
      });
    }
    return out;
  },
});
