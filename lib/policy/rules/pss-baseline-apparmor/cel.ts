import { APPARMOR_ALLOWED_TYPES, APPARMOR_ANNOTATION_PREFIX } from '../../pss-allow-lists';
import { celString, celStringList } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';

const TYPES = celStringList(APPARMOR_ALLOWED_TYPES);
/** An absent profile is fine; a present one must name an allowed type (an empty type is refused, as upstream does). */
const profileOk = (holder: string) =>
  `${holder}.?appArmorProfile.orValue({'type': 'RuntimeDefault'}).?type.orValue('') in ${TYPES}`;
const annotationOk = (a: string) =>
  `!k.startsWith(${celString(APPARMOR_ANNOTATION_PREFIX)}) || ${a} == '' || ${a} == 'runtime/default' || ${a}.startsWith('localhost/')`;
const ANNOTATIONS = 'variables.podMeta.?annotations.orValue({})';

/**
 * Upstream check `appArmorProfile` (v1.0+): securityContext.appArmorProfile.type of the pod and every container must be
 * RuntimeDefault or Localhost, and the deprecated per-container annotations runtime/default, localhost/* or empty.
 */
export const pssBaselineApparmorCel = defineCelTranslation({
  ruleId: 'pss-baseline-apparmor',
  translate: () => [
    {
      expression: profileOk('variables.podSpec.?securityContext'),
      detail:
        "'pod sets ' + variables.specPath + \".securityContext.appArmorProfile.type='\" + variables.podSpec.securityContext.appArmorProfile.?type.orValue('') + \"' (allowed: RuntimeDefault, Localhost)\"",
    },
    everyContainer(
      profileOk('c.?securityContext'),
      'must set securityContext.appArmorProfile.type to RuntimeDefault or Localhost (or leave it unset)',
    ),
    {
      expression: `${ANNOTATIONS}.all(k, ${annotationOk(`${ANNOTATIONS}[k]`)})`,
      detail: `'pod annotation ' + ${ANNOTATIONS}.filter(k, !(${annotationOk(`${ANNOTATIONS}[k]`)})).map(k, k + "='" + ${ANNOTATIONS}[k] + "'").join(', ') + ' is not allowed (use runtime/default or localhost/<profile>)'`,
    },
  ],
});
