import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import {
  containerSecurityContext,
  exemptAsUserNamespacePod,
  podContainers,
  podSecurityContext,
} from '../../pss-fields';

/**
 * Upstream check `runAsNonRoot` (v1.0, v1.35): the pod sets runAsNonRoot=true, or every container does; nothing may set
 * it to false. From v1.35 a pod in a user namespace (`spec.hostUsers: false`) is exempt (KEP-127).
 */
export const pssRestrictedRunAsNonRoot = defineRule({
  id: 'pss-restricted-run-as-non-root',
  title: 'Containers must run as non-root (runAsNonRoot: true)',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'restricted' },
  references: {
    pss: 'restricted: Running as Non-root',
    cis: ['5.2.7'],
    nsa: ['Kubernetes Pod security: "Non-root" containers and "rootless" container engines'],
    owasp: ['K01'],
  },
  remediation:
    'Set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser the image can run as), and remove runAsNonRoot: false from every container.',
  check(pod, ctx) {
    if (exemptAsUserNamespacePod(pod, ctx)) return NO_VIOLATIONS;
    const out: Violation[] = [];
    const podValue = podSecurityContext(pod)?.runAsNonRoot;
    if (podValue === false) {
      out.push({
        message: 'pod sets securityContext.runAsNonRoot=false; required: true',
        path: `${pod.specPath}.securityContext.runAsNonRoot`,
      });
    }
    for (const c of podContainers(pod)) {
      const value = containerSecurityContext(c)?.runAsNonRoot;
      if (value === true || (podValue === true && value !== false)) continue;
      out.push({
        message:
          value === false
            ? `container '${c.name}' sets securityContext.runAsNonRoot=false; required: true`
            : `container '${c.name}' does not set securityContext.runAsNonRoot and the pod does not set it to true; required: true on the pod or the container`,
        container: c.name,
        path: `${c.path}.securityContext.runAsNonRoot`,
      });
    }
    return out;
  },
});
