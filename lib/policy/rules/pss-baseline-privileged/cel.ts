import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';

/** Upstream check `privileged` (v1.0+). */
export const pssBaselinePrivilegedCel = defineCelTranslation({
  ruleId: 'pss-baseline-privileged',
  translate: () => [
    everyContainer(
      'c.?securityContext.?privileged.orValue(false) != true',
      'must not set securityContext.privileged=true',
    ),
  ],
});
