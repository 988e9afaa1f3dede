import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { PSS_SINCE } from '../../pss-allow-lists';
import { atLeast, unlessWindows } from '../../admission/pss-cel';

/** Upstream check `allowPrivilegeEscalation` (v1.8+, Windows pods exempt from v1.25). */
export const pssRestrictedPrivilegeEscalationCel = defineCelTranslation({
  ruleId: 'pss-restricted-privilege-escalation',
  translate: (options) => {
    if (!atLeast(options, PSS_SINCE.privilegeEscalation)) return undefined;
    const check = everyContainer(
      'c.?securityContext.?allowPrivilegeEscalation.orValue(true) == false',
      'must set securityContext.allowPrivilegeEscalation=false',
    );
    return [{ ...check, expression: unlessWindows(options, check.expression) }];
  },
});
