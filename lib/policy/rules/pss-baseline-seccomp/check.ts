import { PodView } from '../../../k8s/pod-template';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import { PSS_SINCE, SECCOMP_CONTAINER_ANNOTATION_PREFIX, SECCOMP_POD_ANNOTATION } from '../../pss-allow-lists';
import {
  annotationPath,
  containerSecurityContext,
  isAllowedSeccompType,
  overriddenForWindowsAtRestricted,
  podContainers,
  podSecurityContext,
  recordField,
  show,
} from '../../pss-fields';

function allowedAnnotation(value: unknown): boolean {
  return (
    value === 'runtime/default' ||
    value === 'docker/default' ||
    (typeof value === 'string' && value.startsWith('localhost/'))
  );
}

const ANNOTATION_ALLOWED = 'allowed: runtime/default, docker/default or localhost/<profile> (checked before v1.19)';

function annotationViolations(pod: PodView): readonly Violation[] {
  const annotations = pod.metadata.annotations;
  if (!annotations) return NO_VIOLATIONS;
  const out: Violation[] = [];
  const check = (key: string, container?: string) => {
    if (!Object.hasOwn(annotations, key) || allowedAnnotation(annotations[key])) return;
    out.push({
      message: `annotation ${key}=${show(annotations[key])}; ${ANNOTATION_ALLOWED}`,
      path: annotationPath(pod, key),
      ...(container !== undefined ? { container } : {}),
    });
  };
  check(SECCOMP_POD_ANNOTATION);
  for (const c of podContainers(pod)) check(`${SECCOMP_CONTAINER_ANNOTATION_PREFIX}${c.name}`, c.name);
  return out;
}

function fieldViolations(pod: PodView): readonly Violation[] {
  const out: Violation[] = [];
  const podProfile = recordField(podSecurityContext(pod), 'seccompProfile');
  if (podProfile && !isAllowedSeccompType(podProfile.type)) {
    out.push({
      message: `pod sets securityContext.seccompProfile.type=${show(podProfile.type ?? '')}; allowed: RuntimeDefault, Localhost or unset`,
      path: `${pod.specPath}.securityContext.seccompProfile.type`,
    });
  }
  for (const c of podContainers(pod)) {
    const profile = recordField(containerSecurityContext(c), 'seccompProfile');
    if (profile && !isAllowedSeccompType(profile.type)) {
      out.push({
        message: `container '${c.name}' sets securityContext.seccompProfile.type=${show(profile.type ?? '')}; allowed: RuntimeDefault, Localhost or unset`,
        container: c.name,
        path: `${c.path}.securityContext.seccompProfile.type`,
      });
    }
  }
  return out;
}

/**
 * Upstream check `seccompProfile_baseline`: v1.0 checks the alpha annotations, v1.19 the seccompProfile fields.
 * Replaced by `seccompProfile_restricted` at restricted level (see overriddenForWindowsAtRestricted).
 */
export const pssBaselineSeccomp = defineRule({
  id: 'pss-baseline-seccomp',
  title: 'Disabling seccomp (Unconfined) is disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: Seccomp',
    cis: ['5.7.2'],
    nsa: ['Kubernetes Pod security: Hardening container environments'],
    owasp: ['K01'],
  },
  remediation:
    'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile) instead of Unconfined, and drop unconfined seccomp annotations.',
  check(pod, ctx) {
    if (overriddenForWindowsAtRestricted(pod, ctx)) return NO_VIOLATIONS;
    return ctx.pssVersion >= PSS_SINCE.seccompFields ? fieldViolations(pod) : annotationViolations(pod);
  },
});
