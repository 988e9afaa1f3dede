import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { unlessUserNamespace } from '../../admission/pss-cel';

/** securityContext.procMount unset or Default, shared with pss-restricted-proc-mount. */
export function procMountDefault(): { expression: string; detail: string } {
  return everyContainer(
    "c.?securityContext.?procMount.orValue('Default') == 'Default'",
    'must not set securityContext.procMount other than Default',
  );
}

/**
 * Upstream check `procMount` (v1.0, v1.35): securityContext.procMount must be unset or Default; from v1.35 a pod in a
 * user namespace (spec.hostUsers: false) may use any value. At restricted, pss-restricted-proc-mount never relaxes.
 */
export const pssBaselineProcMountCel = defineCelTranslation({
  ruleId: 'pss-baseline-proc-mount',
  translate: (options) => {
    const check = procMountDefault();
    return [{ ...check, expression: unlessUserNamespace(options, check.expression) }];
  },
});
