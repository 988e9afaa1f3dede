import { asArray } from '../../../k8s/k8s-object';
import { BASELINE_ALLOWED_CAPABILITIES } from '../../pss-allow-lists';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import {
  containerSecurityContext,
  overriddenForWindowsAtRestricted,
  podContainers,
  recordField,
  showList,
} from '../../pss-fields';

const ALLOWED = new Set(BASELINE_ALLOWED_CAPABILITIES);
const ALLOWED_TEXT = BASELINE_ALLOWED_CAPABILITIES.join(', ');

/** Upstream check `capabilities_baseline` (v1.0+); replaced by `capabilities_restricted` at restricted level. */
export const pssBaselineCapabilities = defineRule({
  id: 'pss-baseline-capabilities',
  title: 'Adding capabilities beyond the default set is disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: Capabilities',
    cis: ['5.2.8', '5.2.9'],
    nsa: ['Kubernetes Pod security: Pod security enforcement'],
    owasp: ['K01'],
  },
  remediation: `Remove the capability from securityContext.capabilities.add; add only what the process needs from: ${ALLOWED_TEXT}.`,
  check(pod, ctx) {
    if (overriddenForWindowsAtRestricted(pod, ctx)) return NO_VIOLATIONS;
    const out: Violation[] = [];
    for (const c of podContainers(pod)) {
      const add = asArray(recordField(containerSecurityContext(c), 'capabilities')?.add);
      const bad = add.filter((cap) => !ALLOWED.has(cap as string));
      if (bad.length === 0) continue;
      out.push({
        message: `container '${c.name}' adds ${showList(bad)} in securityContext.capabilities.add; allowed: ${ALLOWED_TEXT}`,
        container: c.name,
        path: `${c.path}.securityContext.capabilities.add`,
      });
    }
    return out;
  },
});
