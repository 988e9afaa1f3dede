import { credentialReason, knownTokenFormat } from '../../credentials';
import { asRecord } from '../../../k8s/k8s-object';
import { defineRule, Violation } from '../../rule';

/** `key = value` or `key: value` lines of configuration files held in a ConfigMap (ini, properties, YAML, env). */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[:=]\s*["']?([^"'\s#][^"'#]*?)["']?\s*$/;

/**
 * Why one ConfigMap value holds a credential: as a whole under its key, or in one of its lines (`key = value` lines
 * judged by their own key). Lines inside PEM blocks are left out: certificates are public and look random; a private
 * key is caught by its header (a known token format) first.
 */
function reasonFor(key: string, value: string): string | undefined {
  if (!value.includes('\n')) return credentialReason(key, value);
  const format = knownTokenFormat(value);
  if (format) return `its value has the format of ${format}`;
  const lines = value.split('\n');
  let inPem = false;
  for (let n = 0; n < lines.length; n++) {
    if (/^\s*-----BEGIN [A-Z0-9 ]+-----/.test(lines[n])) inPem = true;
    if (inPem) {
      if (/-----END [A-Z0-9 ]+-----\s*$/.test(lines[n])) inPem = false;
      continue;
    }
    const m = ASSIGNMENT.exec(lines[n]);
    const reason = m ? credentialReason(m[1], m[2]) : credentialReason('', lines[n]);
    if (reason) return `line ${n + 1}${m ? ` (${m[1]})` : ''}: ${reason}`;
  }
  return undefined;
}

export const configmapCredentials = defineRule({
  id: 'configmap-credentials',
  title: 'ConfigMaps must not hold literal credentials',
  severity: 'error',
  group: 'secret',
  scope: 'object',
  kinds: ['ConfigMap'],
  references: {
    cis: ['5.4.1'],
    nsa: ['Network separation and hardening: secrets'],
    owasp: ['K08'],
  },
  remediation:
    'ConfigMaps are readable by anyone who may read configuration: keep credentials in a Secret delivered from an external store (or referenced by the application from a mounted file), and rotate the value, it has been in the manifest.',
  check(object) {
    const out: Violation[] = [];
    for (const [key, value] of Object.entries(asRecord(object.data))) {
      if (typeof value !== 'string') continue;
      const reason = reasonFor(key, value);
      if (!reason) continue;
      out.push({
        message: `ConfigMap key '${key}' holds a literal credential (${reason}; value not shown); move it to a Secret`,
        path: `data.${key}`,
      });
    }
    return out;
  },
});
