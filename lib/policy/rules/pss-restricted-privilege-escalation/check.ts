import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import { PSS_SINCE } from '../../pss-allow-lists';
import { containerSecurityContext, exemptAsWindowsPod, isSet, podContainers } from '../../pss-fields';

/**
 * Upstream check `allowPrivilegeEscalation` (v1.8, v1.25): every container must set it to false explicitly (unset
 * means true for a Linux container). From v1.25 Windows pods are exempt: the field does not apply to them.
 */
export const pssRestrictedPrivilegeEscalation = defineRule({
  id: 'pss-restricted-privilege-escalation',
  title: 'Containers must set allowPrivilegeEscalation: false',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'restricted' },
  references: {
    pss: 'restricted: Privilege Escalation',
    cis: ['5.2.6'],
    nsa: ['Kubernetes Pod security: Pod security enforcement'],
    owasp: ['K01'],
  },
  remediation:
    'Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container.',
  check(pod, ctx) {
    if (ctx.pssVersion < PSS_SINCE.privilegeEscalation || exemptAsWindowsPod(pod, ctx)) return NO_VIOLATIONS;
    const out: Violation[] = [];
    for (const c of podContainers(pod)) {
      const value = containerSecurityContext(c)?.allowPrivilegeEscalation;
      if (value === false) continue;
      out.push({
        message: isSet(value)
          ? `container '${c.name}' sets securityContext.allowPrivilegeEscalation=${JSON.stringify(value)}; required: false`
          : `container '${c.name}' does not set securityContext.allowPrivilegeEscalation (unset means true); required: false`,
        container: c.name,
        path: `${c.path}.securityContext.allowPrivilegeEscalation`,
      });
    }
    return out;
  },
});
