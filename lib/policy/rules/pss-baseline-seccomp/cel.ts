import { PSS_SINCE, SECCOMP_CONTAINER_ANNOTATION_PREFIX, SECCOMP_POD_ANNOTATION } from '../../pss-allow-lists';
import { celStringList } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { atLeast, unlessOverriddenForWindows, VALID_SECCOMP_TYPES } from '../../admission/pss-cel';

const TYPES = celStringList(VALID_SECCOMP_TYPES);
const POD_ANNOTATION = SECCOMP_POD_ANNOTATION;
const CONTAINER_ANNOTATION_PREFIX = SECCOMP_CONTAINER_ANNOTATION_PREFIX;
const ANNOTATIONS = 'variables.podMeta.?annotations.orValue({})';
/** upstream validSeccompAnnotationValue: an empty value is not valid either. */
const annotationOk = (value: string) =>
  `(${value} == 'runtime/default' || ${value} == 'docker/default' || ${value}.startsWith('localhost/'))`;

/**
 * Upstream check `seccompProfile_baseline`: up to v1.18 the alpha annotations (pod and per-container) may only name
 * runtime/default, docker/default or localhost/*; from v1.19 securityContext.seccompProfile.type of the pod and every
 * container, when set, must be RuntimeDefault or Localhost. Replaced by seccompProfile_restricted at restricted level,
 * which exempts Windows pods from v1.25.
 */
export const pssBaselineSeccompCel = defineCelTranslation({
  ruleId: 'pss-baseline-seccomp',
  translate: (options) => {
    if (!atLeast(options, PSS_SINCE.seccompFields)) {
      return [
        {
          expression: `!(${`'${POD_ANNOTATION}'`} in ${ANNOTATIONS}) || ${annotationOk(`${ANNOTATIONS}['${POD_ANNOTATION}']`)}`,
          detail: `"pod annotation ${POD_ANNOTATION}='" + ${ANNOTATIONS}['${POD_ANNOTATION}'] + "' is not allowed (use runtime/default or localhost/<profile>)"`,
        },
        everyContainer(
          `!(('${CONTAINER_ANNOTATION_PREFIX}' + c.?name.orValue('')) in ${ANNOTATIONS}) || ${annotationOk(
            `${ANNOTATIONS}['${CONTAINER_ANNOTATION_PREFIX}' + c.?name.orValue('')]`,
          )}`,
          `has a ${CONTAINER_ANNOTATION_PREFIX}<name> annotation other than runtime/default or localhost/<profile>`,
        ),
      ];
    }
    const profileOk = (holder: string) =>
      `${holder}.?seccompProfile.orValue({'type': 'RuntimeDefault'}).?type.orValue('') in ${TYPES}`;
    const checks = [
      {
        expression: profileOk('variables.podSpec.?securityContext'),
        detail:
          "'pod sets ' + variables.specPath + \".securityContext.seccompProfile.type='\" + variables.podSpec.securityContext.seccompProfile.?type.orValue('') + \"' (allowed: RuntimeDefault, Localhost)\"",
      },
      everyContainer(
        profileOk('c.?securityContext'),
        'must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or leave it unset)',
      ),
    ];
    return checks.map((c) => ({ ...c, expression: unlessOverriddenForWindows(options, c.expression) }));
  },
});
