import { credentialReason } from '../../credentials';
import { asArray, isRecord } from '../../../k8s/k8s-object';
import { containersOf } from '../../../k8s/pod-template';
import { defineRule, Violation } from '../../rule';

export const workloadEnvCredentials = defineRule({
  id: 'workload-env-credentials',
  title: 'Container env values must not hold literal credentials',
  severity: 'error',
  group: 'secret',
  scope: 'pod',
  references: {
    cis: ['5.4.1'],
    nsa: ['Network separation and hardening: secrets'],
    owasp: ['K08'],
  },
  remediation:
    'Move the value into a Secret delivered from an external store and read it with env.valueFrom.secretKeyRef (or mount it as a file); rotate the value, it has been in the manifest.',
  check(pod) {
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      asArray(c.container.env).forEach((e, i) => {
        if (!isRecord(e) || typeof e.name !== 'string' || typeof e.value !== 'string') return;
        const reason = credentialReason(e.name, e.value);
        if (!reason) return;
        // The value is never shown: the name and the test that fired are enough to find and fix it.
        out.push({
          message: `container '${c.name}' env ${e.name} holds a literal credential (${reason}; value not shown); read it from a Secret with valueFrom.secretKeyRef`,
          container: c.name,
          path: `${c.path}.env[${i}].value`,
        });
      });
    }
    return out;
  },
});
