import { defineRule, Violation } from '../../rule';
import { containerSecurityContext, podContainers, podSecurityContext, recordField } from '../../pss-fields';

/** Upstream check `windowsHostProcess` (v1.0+). */
export const pssBaselineWindowsHostProcess = defineRule({
  id: 'pss-baseline-windows-host-process',
  title: 'Windows HostProcess containers are disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: HostProcess',
    cis: ['5.2.11'],
    nsa: ['Kubernetes Pod security: Pod security enforcement'],
    owasp: ['K01'],
  },
  remediation:
    'Remove securityContext.windowsOptions.hostProcess (or set it to false) on the pod and every container; HostProcess containers have privileged access to the Windows node.',
  check(pod) {
    const out: Violation[] = [];
    if (recordField(podSecurityContext(pod), 'windowsOptions')?.hostProcess === true) {
      out.push({
        message: 'pod sets securityContext.windowsOptions.hostProcess=true; allowed: false or unset',
        path: `${pod.specPath}.securityContext.windowsOptions.hostProcess`,
      });
    }
    for (const c of podContainers(pod)) {
      if (recordField(containerSecurityContext(c), 'windowsOptions')?.hostProcess === true) {
        out.push({
          message: `container '${c.name}' sets securityContext.windowsOptions.hostProcess=true; allowed: false or unset`,
          container: c.name,
          path: `${c.path}.securityContext.windowsOptions.hostProcess`,
        });
      }
    }
    return out;
  },
});
