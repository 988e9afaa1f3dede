import { defineRule, Violation } from '../../rule';
import { containerSecurityContext, podContainers } from '../../pss-fields';

/** Upstream check `privileged` (v1.0+): containers, init containers and ephemeral containers. */
export const pssBaselinePrivileged = defineRule({
  id: 'pss-baseline-privileged',
  title: 'Privileged containers are disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: Privileged Containers',
    cis: ['5.2.2'],
    nsa: ['Kubernetes Pod security: Pod security enforcement'],
    owasp: ['K01'],
  },
  remediation:
    'Remove securityContext.privileged (or set it to false) on every container; grant only the specific capability the workload needs instead.',
  check(pod) {
    const out: Violation[] = [];
    for (const c of podContainers(pod)) {
      if (containerSecurityContext(c)?.privileged === true) {
        out.push({
          message: `container '${c.name}' sets securityContext.privileged=true; allowed: false or unset`,
          container: c.name,
          path: `${c.path}.securityContext.privileged`,
        });
      }
    }
    return out;
  },
});
