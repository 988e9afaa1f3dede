import { defineRule, NO_VIOLATIONS } from '../../rule';
import { PSS_SINCE } from '../../pss-allow-lists';
import { podContainers, procMountViolations } from '../../pss-fields';

/**
 * Upstream check `procMount_restricted` (v1.35+): when v1.35 relaxed baseline procMount for user-namespace pods,
 * restricted kept the strict rule. Before v1.35 pss-baseline-proc-mount already enforces the same thing at every level.
 */
export const pssRestrictedProcMount = defineRule({
  id: 'pss-restricted-proc-mount',
  title: 'Unmasking /proc is disallowed, even in a user namespace',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'restricted' },
  references: {
    pss: 'restricted: /proc Mount Type',
    nsa: ['Kubernetes Pod security: Hardening container environments'],
    owasp: ['K01'],
  },
  remediation: 'Remove securityContext.procMount (or set it to Default) on every container.',
  check(pod, ctx) {
    if (ctx.pssVersion < PSS_SINCE.userNamespaceRelaxation) return NO_VIOLATIONS;
    return procMountViolations(
      podContainers(pod),
      'allowed at restricted: Default or unset, even with spec.hostUsers=false',
    );
  },
});
