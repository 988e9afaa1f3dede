import { PSS_SINCE, SELINUX_TYPES_V1_0, SELINUX_TYPES_V1_31 } from '../../pss-allow-lists';
import { celStringList } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { atLeast } from '../../admission/pss-cel';

/**
 * Upstream check `seLinuxOptions` (v1.0, v1.31): seLinuxOptions.type of the pod and every container must be unset or
 * one of the container types; user and role must be unset.
 */
export const pssBaselineSelinuxCel = defineCelTranslation({
  ruleId: 'pss-baseline-selinux',
  translate: (options) => {
    const types = atLeast(options, PSS_SINCE.selinuxContainerEngine) ? SELINUX_TYPES_V1_31 : SELINUX_TYPES_V1_0;
    const allowed = `allowed types: ${types.filter((t) => t !== '').join(', ')} or unset; user and role must be unset`;
    const optionsOk = (o: string) =>
      `${o}.?type.orValue('') in ${celStringList(types)} && ${o}.?user.orValue('') == '' && ${o}.?role.orValue('') == ''`;
    return [
      {
        expression: optionsOk('variables.podSpec.?securityContext.?seLinuxOptions.orValue({})'),
        detail: `'pod sets a forbidden type, user or role in ' + variables.specPath + '.securityContext.seLinuxOptions (${allowed})'`,
      },
      everyContainer(
        optionsOk('c.?securityContext.?seLinuxOptions.orValue({})'),
        `sets a forbidden type, user or role in securityContext.seLinuxOptions (${allowed})`,
      ),
    ];
  },
});
