import { asArray } from '../../../k8s/k8s-object';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import { PSS_SINCE, RESTRICTED_ALLOWED_CAPABILITY } from '../../pss-allow-lists';
import { containerSecurityContext, exemptAsWindowsPod, podContainers, recordField, showList } from '../../pss-fields';

/**
 * Upstream check `capabilities_restricted` (v1.22, v1.25): every container drops ALL and adds at most
 * NET_BIND_SERVICE. From v1.25 Windows pods are exempt.
 */
export const pssRestrictedCapabilities = defineRule({
  id: 'pss-restricted-capabilities',
  title: 'Containers must drop ALL capabilities and may add only NET_BIND_SERVICE',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'restricted' },
  references: {
    pss: 'restricted: Capabilities',
    cis: ['5.2.9', '5.2.10'],
    nsa: ['Kubernetes Pod security: Pod security enforcement'],
    owasp: ['K01'],
  },
  remediation:
    'Set securityContext.capabilities.drop: ["ALL"] on every container and add back at most NET_BIND_SERVICE (to bind ports below 1024).',
  check(pod, ctx) {
    if (ctx.pssVersion < PSS_SINCE.restrictedCapabilities || exemptAsWindowsPod(pod, ctx)) return NO_VIOLATIONS;
    const out: Violation[] = [];
    for (const c of podContainers(pod)) {
      const caps = recordField(containerSecurityContext(c), 'capabilities');
      const drop = asArray(caps?.drop);
      if (!drop.includes('ALL')) {
        out.push({
          message: `container '${c.name}' does not drop ALL in securityContext.capabilities.drop (found: [${showList(drop)}]); required: drop includes ALL`,
          container: c.name,
          path: `${c.path}.securityContext.capabilities.drop`,
        });
      }
      const bad = asArray(caps?.add).filter((cap) => cap !== RESTRICTED_ALLOWED_CAPABILITY);
      if (bad.length > 0) {
        out.push({
          message: `container '${c.name}' adds ${showList(bad)} in securityContext.capabilities.add; allowed: ${RESTRICTED_ALLOWED_CAPABILITY} only`,
          container: c.name,
          path: `${c.path}.securityContext.capabilities.add`,
        });
      }
    }
    return out;
  },
});
