import { isRecord } from '../../k8s-object';
import { containersOf } from '../../pod-template';
import { PSS_SINCE } from '../../pss-allow-lists';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import { isSet, recordField, show } from './pss-fields';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

/**
 * Upstream check `hostProbesAndHostLifecycle` (v1.34+): a probe or lifecycle handler must not name a `host`, which
 * would let the kubelet reach arbitrary addresses (even 127.0.0.1 and ::1 are rejected) on the pod's behalf.
 */
export const pssBaselineHostProbes = defineRule({
  id: 'pss-baseline-host-probes',
  title: 'Probes and lifecycle hooks must not set a host',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: Host Probes / Lifecycle Hooks',
    nsa: ['Network separation and hardening'],
    owasp: ['K01', 'K07'],
  },
  remediation:
    'Remove httpGet.host and tcpSocket.host from probes and lifecycle hooks so that the kubelet targets the pod IP; to reach another service, do it from inside the container.',
  check(pod, ctx) {
    if (ctx.pssVersion < PSS_SINCE.hostProbes) return NO_VIOLATIONS;
    let out: Violation[] | undefined;
    for (const c of containersOf(pod)) {
      const inspect = (handler: unknown, where: string) => {
        if (!isRecord(handler)) return;
        for (const action of ACTIONS) {
          const host = recordField(handler, action)?.host;
          if (!isSet(host) || host === '') continue;
          (out ??= []).push({
            message: `container '${c.name}' sets ${where}.${action}.host=${show(host)}; allowed: empty or unset (the pod IP)`,
            container: c.name,
            path: `${c.path}.${where}.${action}.host`,
          });
        }
      };
      for (const probe of PROBES) inspect(c.container[probe], probe);
      const lifecycle = recordField(c.container, 'lifecycle');
      if (lifecycle) for (const h of LIFECYCLE_HANDLERS) inspect(lifecycle[h], `lifecycle.${h}`);
    }
    return out ?? NO_VIOLATIONS;
  },
});
