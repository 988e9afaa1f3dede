import { APPARMOR_ALLOWED_TYPES, APPARMOR_ANNOTATION_PREFIX } from '../../pss-allow-lists';
import { defineRule, Violation } from '../../rule';
import {
  annotationPath,
  containerSecurityContext,
  podContainers,
  podSecurityContext,
  recordField,
  show,
} from '../../pss-fields';

const ALLOWED_TYPES = new Set(APPARMOR_ALLOWED_TYPES);

function allowedAnnotation(value: unknown): boolean {
  return value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

/**
 * Upstream check `appArmorProfile`: one revision at v1.0 that checks both the annotation and (since Kubernetes 1.30
 * amended it in place) the `appArmorProfile` fields, so both apply at every policy version.
 */
export const pssBaselineApparmor = defineRule({
  id: 'pss-baseline-apparmor',
  title: 'Overriding or disabling the default AppArmor profile is disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: AppArmor',
    nsa: ['Kubernetes Pod security: Hardening container environments'],
    owasp: ['K01'],
  },
  remediation:
    'Set securityContext.appArmorProfile.type to RuntimeDefault (or Localhost with a reviewed profile) and drop any unconfined AppArmor annotation.',
  check(pod) {
    const out: Violation[] = [];
    const psc = recordField(podSecurityContext(pod), 'appArmorProfile');
    if (psc && !ALLOWED_TYPES.has(psc.type as string)) {
      out.push({
        message: `pod sets securityContext.appArmorProfile.type=${show(psc.type ?? '')}; allowed: RuntimeDefault, Localhost or unset`,
        path: `${pod.specPath}.securityContext.appArmorProfile.type`,
      });
    }
    for (const c of podContainers(pod)) {
      const profile = recordField(containerSecurityContext(c), 'appArmorProfile');
      if (profile && !ALLOWED_TYPES.has(profile.type as string)) {
        out.push({
          message: `container '${c.name}' sets securityContext.appArmorProfile.type=${show(profile.type ?? '')}; allowed: RuntimeDefault, Localhost or unset`,
          container: c.name,
          path: `${c.path}.securityContext.appArmorProfile.type`,
        });
      }
    }
    const annotations = pod.metadata.annotations;
    if (annotations) {
      for (const key of Object.keys(annotations)) {
        if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || allowedAnnotation(annotations[key])) continue;
        out.push({
          message: `annotation ${key}=${show(annotations[key])}; allowed: runtime/default, localhost/<profile> or empty`,
          path: annotationPath(pod, key),
        });
      }
    }
    return out;
  },
});
