import { defineRule, NO_VIOLATIONS } from '../../rule';
import { exemptAsUserNamespacePod, podContainers, procMountViolations } from '../../pss-fields';

/**
 * Upstream check `procMount` (v1.0, v1.35): `securityContext.procMount` must be `Default` or unset; from v1.35 a pod
 * in a user namespace (`spec.hostUsers: false`) may use any value at baseline. At restricted level upstream replaces
 * this check with `procMount_restricted` (rule pss-restricted-proc-mount), which never relaxes; running this rule
 * there too only repeats a finding, it never admits what upstream rejects.
 */
export const pssBaselineProcMount = defineRule({
  id: 'pss-baseline-proc-mount',
  title: 'Unmasking /proc is disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: /proc Mount Type',
    nsa: ['Kubernetes Pod security: Hardening container environments'],
    owasp: ['K01'],
  },
  remediation:
    'Remove securityContext.procMount (or set it to Default); an unmasked /proc is only acceptable in a user namespace (spec.hostUsers: false).',
  check(pod, ctx) {
    if (exemptAsUserNamespacePod(pod, ctx)) return NO_VIOLATIONS;
    return procMountViolations(podContainers(pod), 'allowed: Default or unset');
  },
});
