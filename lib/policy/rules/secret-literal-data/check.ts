import { asRecord } from '../../../k8s/k8s-object';
import { defineRule, Violation } from '../../rule';

export const secretLiteralData = defineRule({
  id: 'secret-literal-data',
  title: 'Secrets must not carry literal data in manifests',
  severity: 'error',
  group: 'secret',
  scope: 'object',
  kinds: ['Secret'],
  references: {
    cis: ['5.4.2'],
    nsa: ['Network separation and hardening: secrets'],
    owasp: ['K08'],
  },
  remediation:
    'Keep secret values out of manifests and source control: deliver them with an external secret store (External Secrets Operator, Secrets Store CSI driver) or an encrypted form (Sealed Secrets, SOPS), and rotate any value that was committed.',
  check(object) {
    const out: Violation[] = [];
    // A kubernetes.io/service-account-token Secret without data is filled in by the token controller: it passes.
    for (const field of ['data', 'stringData'] as const) {
      const keys = Object.keys(asRecord(object[field]));
      if (keys.length === 0) continue;
      // Name the keys, never the values.
      out.push({
        message: `Secret has literal values in ${field} (keys: ${keys.join(', ')}); deliver them from an external secret store instead`,
        path: field,
      });
    }
    return out;
  },
});
