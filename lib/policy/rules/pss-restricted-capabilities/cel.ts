import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { PSS_SINCE, RESTRICTED_ALLOWED_CAPABILITY } from '../../pss-allow-lists';
import { celString } from '../../admission/cel-literal';
import { atLeast, unlessWindows } from '../../admission/pss-cel';

const CAPS = 'c.?securityContext.?capabilities';

/**
 * Upstream check `capabilities_restricted` (v1.22+, Windows pods exempt from v1.25): every container drops ALL and
 * adds nothing but NET_BIND_SERVICE.
 */
export const pssRestrictedCapabilitiesCel = defineCelTranslation({
  ruleId: 'pss-restricted-capabilities',
  translate: (options) => {
    if (!atLeast(options, PSS_SINCE.restrictedCapabilities)) return undefined;
    return [
      everyContainer(`'ALL' in ${CAPS}.?drop.orValue([])`, 'must set securityContext.capabilities.drop=["ALL"]'),
      everyContainer(
        `${CAPS}.?add.orValue([]).all(a, a == ${celString(RESTRICTED_ALLOWED_CAPABILITY)})`,
        `must not add capabilities other than ${RESTRICTED_ALLOWED_CAPABILITY} in securityContext.capabilities.add`,
      ),
    ].map((c) => ({ ...c, expression: unlessWindows(options, c.expression) }));
  },
});
