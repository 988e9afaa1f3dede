import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import { PSS_SINCE } from '../../pss-allow-lists';
import {
  containerSecurityContext,
  exemptAsWindowsPod,
  isAllowedSeccompType,
  podContainers,
  podSecurityContext,
  recordField,
  show,
} from '../../pss-fields';

/**
 * Upstream check `seccompProfile_restricted` (v1.19, v1.25): the pod sets seccompProfile.type to RuntimeDefault or
 * Localhost, or every container does; no other type anywhere. From v1.25 Windows pods are exempt.
 */
export const pssRestrictedSeccomp = defineRule({
  id: 'pss-restricted-seccomp',
  title: 'A seccomp profile (RuntimeDefault or Localhost) is required',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'restricted' },
  references: {
    pss: 'restricted: Seccomp',
    cis: ['5.7.2'],
    nsa: ['Kubernetes Pod security: Hardening container environments'],
    owasp: ['K01'],
  },
  remediation:
    'Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost with a reviewed profile) and remove any other seccompProfile type from the containers.',
  check(pod, ctx) {
    if (ctx.pssVersion < PSS_SINCE.seccompFields || exemptAsWindowsPod(pod, ctx)) return NO_VIOLATIONS;
    const out: Violation[] = [];
    const podProfile = recordField(podSecurityContext(pod), 'seccompProfile');
    const podValid = podProfile !== undefined && isAllowedSeccompType(podProfile.type);
    if (podProfile && !podValid) {
      out.push({
        message: `pod sets securityContext.seccompProfile.type=${show(podProfile.type ?? '')}; required: RuntimeDefault or Localhost`,
        path: `${pod.specPath}.securityContext.seccompProfile.type`,
      });
    }
    for (const c of podContainers(pod)) {
      const profile = recordField(containerSecurityContext(c), 'seccompProfile');
      if (profile ? isAllowedSeccompType(profile.type) : podValid) continue;
      out.push({
        message: profile
          ? `container '${c.name}' sets securityContext.seccompProfile.type=${show(profile.type ?? '')}; required: RuntimeDefault or Localhost`
          : `container '${c.name}' does not set securityContext.seccompProfile and the pod sets no allowed profile; required: RuntimeDefault or Localhost on the pod or the container`,
        container: c.name,
        path: `${c.path}.securityContext.seccompProfile.type`,
      });
    }
    return out;
  },
});
