import { celStringList } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { PSS_SINCE } from '../../pss-allow-lists';
import { atLeast, unlessWindows, VALID_SECCOMP_TYPES } from '../../admission/pss-cel';

const TYPES = celStringList(VALID_SECCOMP_TYPES);
const POD_PROFILE = 'variables.podSpec.?securityContext.?seccompProfile';

/**
 * Upstream check `seccompProfile_restricted` (v1.19+, Windows pods exempt from v1.25): the pod's seccompProfile.type,
 * when set, must be RuntimeDefault or Localhost, and every container must set one of those or inherit a valid pod one.
 */
export const pssRestrictedSeccompCel = defineCelTranslation({
  ruleId: 'pss-restricted-seccomp',
  translate: (options) => {
    if (!atLeast(options, PSS_SINCE.seccompFields)) return undefined;
    const pod = {
      expression: `${POD_PROFILE}.orValue({'type': 'RuntimeDefault'}).?type.orValue('') in ${TYPES}`,
      detail:
        "'pod sets ' + variables.specPath + \".securityContext.seccompProfile.type='\" + variables.podSpec.securityContext.seccompProfile.?type.orValue('') + \"' (allowed: RuntimeDefault, Localhost)\"",
    };
    const containers = everyContainer(
      `c.?securityContext.?seccompProfile.hasValue() ? c.securityContext.seccompProfile.?type.orValue('') in ${TYPES} : ${POD_PROFILE}.?type.orValue('') in ${TYPES}`,
      'must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must)',
    );
    return [pod, containers].map((c) => ({ ...c, expression: unlessWindows(options, c.expression) }));
  },
});
