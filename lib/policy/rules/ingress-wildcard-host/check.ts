import { asArray, asRecord, isRecord } from '../../../k8s/k8s-object';
import { defineRule, Violation } from '../../rule';

export const ingressWildcardHost = defineRule({
  id: 'ingress-wildcard-host',
  title: 'Ingresses must name their hosts, not a wildcard',
  severity: 'error',
  group: 'ingress',
  scope: 'object',
  kinds: ['Ingress'],
  references: {
    nsa: ['Network separation and hardening'],
    owasp: ['K07'],
  },
  remediation:
    'List the exact host names the application serves; a wildcard host (or a rule without host) routes every name under the domain, including ones nobody reviewed, to this backend.',
  check(object) {
    const out: Violation[] = [];
    asArray(asRecord(object.spec).rules).forEach((r, i) => {
      if (!isRecord(r)) return;
      const host = r.host;
      if (typeof host === 'string' && host.startsWith('*')) {
        out.push({ message: `spec.rules[${i}].host is the wildcard '${host}'`, path: `spec.rules[${i}].host` });
      } else if (host === undefined || host === '') {
        out.push({
          message: `spec.rules[${i}] has no host, so it matches every host name`,
          path: `spec.rules[${i}].host`,
        });
      }
    });
    return out;
  },
});
