import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import { PSS_SINCE } from '../../pss-allow-lists';
import {
  containerSecurityContext,
  exemptAsUserNamespacePod,
  podContainers,
  podSecurityContext,
} from '../../pss-fields';

/**
 * Upstream check `runAsUser` (v1.23, v1.35): neither the pod nor a container may set runAsUser=0. From v1.35 a pod in a
 * user namespace (`spec.hostUsers: false`) is exempt: UID 0 inside maps to an unprivileged UID on the node.
 */
export const pssRestrictedRunAsUser = defineRule({
  id: 'pss-restricted-run-as-user',
  title: 'Containers must not run as UID 0 (runAsUser: 0)',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'restricted' },
  references: {
    pss: 'restricted: Running as Non-root user',
    cis: ['5.2.7'],
    nsa: ['Kubernetes Pod security: "Non-root" containers and "rootless" container engines'],
    owasp: ['K01'],
  },
  remediation:
    'Set runAsUser to a non-zero UID (for example 65532) or remove it and let the image choose a non-root user.',
  check(pod, ctx) {
    if (ctx.pssVersion < PSS_SINCE.runAsUser || exemptAsUserNamespacePod(pod, ctx)) return NO_VIOLATIONS;
    const out: Violation[] = [];
    if (podSecurityContext(pod)?.runAsUser === 0) {
      out.push({
        message: 'pod sets securityContext.runAsUser=0; allowed: a non-zero UID or unset',
        path: `${pod.specPath}.securityContext.runAsUser`,
      });
    }
    for (const c of podContainers(pod)) {
      if (containerSecurityContext(c)?.runAsUser !== 0) continue;
      out.push({
        message: `container '${c.name}' sets securityContext.runAsUser=0; allowed: a non-zero UID or unset`,
        container: c.name,
        path: `${c.path}.securityContext.runAsUser`,
      });
    }
    return out;
  },
});
