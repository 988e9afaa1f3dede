import { asArray, isRecord } from '../../../k8s/k8s-object';
import { SAFE_SYSCTLS_BY_VERSION, safeSysctlsAt } from '../../pss-allow-lists';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import { podSecurityContext, show } from '../../pss-fields';

/** Cumulative allow-lists, newest first, each with its lookup set and the text messages show. */
const CUMULATIVE = SAFE_SYSCTLS_BY_VERSION.map(({ since }) => {
  const names = safeSysctlsAt(since);
  return { since, set: new Set(names), text: names.join(', ') };
}).reverse();

function allowListOf(version: number): (typeof CUMULATIVE)[number] {
  return CUMULATIVE.find((c) => version >= c.since) ?? CUMULATIVE[CUMULATIVE.length - 1];
}

/** Upstream check `sysctls` (v1.0, v1.27, v1.29, v1.32, v1.37): only `spec.securityContext.sysctls` exists. */
export const pssBaselineSysctls = defineRule({
  id: 'pss-baseline-sysctls',
  title: 'Only safe sysctls are allowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: Sysctls',
    nsa: ['Kubernetes Pod security: Hardening container environments'],
    owasp: ['K01'],
  },
  remediation:
    'Remove the sysctl from spec.securityContext.sysctls; set node-level kernel parameters on the node (or a dedicated, tainted node pool) instead.',
  check(pod, ctx) {
    const sysctls = asArray(podSecurityContext(pod)?.sysctls);
    if (sysctls.length === 0) return NO_VIOLATIONS;
    const allowed = allowListOf(ctx.pssVersion);
    const out: Violation[] = [];
    sysctls.forEach((s, i) => {
      const name = isRecord(s) ? s.name : undefined;
      if (allowed.set.has(name as string)) return;
      out.push({
        message: `pod sets securityContext.sysctls[${i}].name=${show(name ?? '')}, not a safe sysctl; allowed: ${allowed.text}`,
        path: `${pod.specPath}.securityContext.sysctls[${i}].name`,
      });
    });
    return out;
  },
});
