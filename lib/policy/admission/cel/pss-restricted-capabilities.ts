import { defineCelTranslation } from '../cel-translation';
import { everyContainer } from '../pod-cel';
import { atLeast, unlessWindows } from '../pss-cel';

const CAPS = 'c.?securityContext.?capabilities';

/**
 * Upstream check `capabilities_restricted` (v1.22+, Windows pods exempt from v1.25): every container drops ALL and
 * adds nothing but NET_BIND_SERVICE.
 */
export const pssRestrictedCapabilitiesCel = defineCelTranslation({
  ruleId: 'pss-restricted-capabilities',
  translate: (options) => {
    if (!atLeast(options, 22)) return undefined;
    return [
      everyContainer(`'ALL' in ${CAPS}.?drop.orValue([])`, 'must set securityContext.capabilities.drop=["ALL"]'),
      everyContainer(
        `${CAPS}.?add.orValue([]).all(a, a == 'NET_BIND_SERVICE')`,
        'must not add capabilities other than NET_BIND_SERVICE in securityContext.capabilities.add',
      ),
    ].map((c) => ({ ...c, expression: unlessWindows(options, c.expression) }));
  },
});
