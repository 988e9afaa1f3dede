import { asArray, asRecord, isRecord } from '../../../k8s/k8s-object';
import { defineRule, NO_VIOLATIONS } from '../../rule';

/** True when a spec.tls host (exact, or a `*.` wildcard for one leading label) covers the rule host. */
function hostCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (!tlsHost.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot) === tlsHost.slice(1);
}

export const ingressTls = defineRule({
  id: 'ingress-tls',
  title: 'Ingresses must terminate TLS for every host',
  severity: 'error',
  group: 'ingress',
  scope: 'object',
  kinds: ['Ingress'],
  references: {
    nsa: ['Network separation and hardening: encryption'],
    owasp: ['K07'],
  },
  remediation:
    'Add a spec.tls entry whose hosts list every host of spec.rules and whose secretName holds the certificate (e.g. issued by cert-manager).',
  check(object) {
    const spec = asRecord(object.spec);
    const rules = asArray(spec.rules).filter(isRecord);
    if (rules.length === 0 && !isRecord(spec.defaultBackend)) return NO_VIOLATIONS;
    const tls = asArray(spec.tls).filter(isRecord);
    if (tls.length === 0) {
      return [
        {
          message: 'Ingress has no spec.tls, so it serves plain HTTP; add a spec.tls entry for its hosts',
          path: 'spec.tls',
        },
      ];
    }
    // A tls entry without hosts applies to the controller's wildcard (default) host, so it covers every host.
    if (tls.some((t) => asArray(t.hosts).length === 0)) return NO_VIOLATIONS;
    const tlsHosts = tls.flatMap((t) => asArray(t.hosts)).filter((h): h is string => typeof h === 'string');
    const uncovered: string[] = [];
    for (const r of rules) {
      const host = typeof r.host === 'string' && r.host !== '' ? r.host : undefined;
      const label = host ?? '(rule without host)';
      if (uncovered.includes(label)) continue;
      if (host === undefined || !tlsHosts.some((t) => hostCovers(t, host))) uncovered.push(label);
    }
    if (uncovered.length === 0) return NO_VIOLATIONS;
    return [
      {
        message: `spec.rules host${uncovered.length > 1 ? 's' : ''} ${uncovered.join(', ')} ${
          uncovered.length > 1 ? 'are' : 'is'
        } not in any spec.tls[].hosts (${tlsHosts.join(', ')}), so ${
          uncovered.length > 1 ? 'they are' : 'it is'
        } served without TLS; add ${uncovered.length > 1 ? 'them' : 'it'} to spec.tls`,
        path: 'spec.tls',
      },
    ];
  },
});
