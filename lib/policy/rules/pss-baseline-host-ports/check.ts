import { asArray, isRecord } from '../../../k8s/k8s-object';
import { defineRule, Violation } from '../../rule';
import { isSet, podContainers, show } from '../../pss-fields';

/** Upstream check `hostPorts` (v1.0+): any non-zero hostPort on any container. */
export const pssBaselineHostPorts = defineRule({
  id: 'pss-baseline-host-ports',
  title: 'Host ports are disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: Host Ports',
    cis: ['5.2.13'],
    nsa: ['Network separation and hardening'],
    owasp: ['K01', 'K07'],
  },
  remediation:
    'Remove ports[].hostPort (or set it to 0) and expose the port through a Service (ClusterIP behind an Ingress or Gateway).',
  check(pod) {
    const out: Violation[] = [];
    for (const c of podContainers(pod)) {
      asArray(c.container.ports).forEach((p, i) => {
        if (!isRecord(p) || !isSet(p.hostPort) || p.hostPort === 0) return;
        out.push({
          message: `container '${c.name}' sets ports[${i}].hostPort=${show(p.hostPort)}; allowed: 0 or unset`,
          container: c.name,
          path: `${c.path}.ports[${i}].hostPort`,
        });
      });
    }
    return out;
  },
});
