import { containersOf } from '../../pod-template';
import { defineRule, Violation } from '../../rule';

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
    nsa: ['Pod security: non-root containers and privileged containers'],
    owasp: ['K01'],
  },
  remediation: 'Remove securityContext.privileged or set it to false on every container.',
  check(pod) {
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      const sc = c.container.securityContext as { privileged?: unknown } | undefined;
      if (sc?.privileged === true) {
        out.push({
          message: `container '${c.name}' sets securityContext.privileged=true`,
          container: c.name,
          path: `${c.path}.securityContext.privileged`,
        });
      }
    }
    return out;
  },
});
