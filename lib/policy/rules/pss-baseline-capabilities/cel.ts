import { BASELINE_ALLOWED_CAPABILITIES } from '../../pss-allow-lists';
import { celStringList } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { unlessOverriddenForWindows } from '../../admission/pss-cel';

/**
 * Upstream check `capabilities_baseline` (v1.0+): capabilities.add only from the default set. Replaced by
 * capabilities_restricted at restricted level, which exempts Windows pods from v1.25.
 */
export const pssBaselineCapabilitiesCel = defineCelTranslation({
  ruleId: 'pss-baseline-capabilities',
  translate: (options) => {
    const check = everyContainer(
      `c.?securityContext.?capabilities.?add.orValue([]).all(a, a in ${celStringList(BASELINE_ALLOWED_CAPABILITIES)})`,
      `must not add capabilities beyond ${BASELINE_ALLOWED_CAPABILITIES.join(', ')} in securityContext.capabilities.add`,
    );
    return [{ ...check, expression: unlessOverriddenForWindows(options, check.expression) }];
  },
});
