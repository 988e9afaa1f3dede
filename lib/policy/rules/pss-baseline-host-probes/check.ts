import { isRecord } from '../../../k8s/k8s-object';
import { ContainerView } from '../../../k8s/pod-template';
import { PSS_SINCE } from '../../pss-allow-lists';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import { isSet, podContainers, recordField, show } from '../../pss-fields';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

/** Appends a violation for each action of a probe or lifecycle handler that names a host. */
function hostViolations(
  c: ContainerView,
  handler: unknown,
  where: string,
  out: Violation[] | undefined,
): Violation[] | undefined {
  if (!isRecord(handler)) return out;
  for (const action of ACTIONS) {
    const host = recordField(handler, action)?.host;
    if (!isSet(host) || host === '') continue;
    (out ??= []).push({
      message: `container '${c.name}' sets ${where}.${action}.host=${show(host)}; allowed: empty or unset (the pod IP)`,
      container: c.name,
      path: `${c.path}.${where}.${action}.host`,
    });
  }
  return out;
}

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
    for (const c of podContainers(pod)) {
      for (const probe of PROBES) out = hostViolations(c, c.container[probe], probe, out);
      const lifecycle = recordField(c.container, 'lifecycle');
      if (!lifecycle) continue;
      for (const h of LIFECYCLE_HANDLERS) out = hostViolations(c, lifecycle[h], `lifecycle.${h}`, out);
    }
    return out ?? NO_VIOLATIONS;
  },
});
