import { RESTRICTED_VOLUME_TYPES } from '../../pss-allow-lists';
import { celStringList } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';

/**
 * Every field of the volume is its name or an allowed source. A volume without a source passes: the API server
 * defaults it to emptyDir before admission.
 */
const OK = `v.all(k, k == 'name' || k in ${celStringList(RESTRICTED_VOLUME_TYPES)})`;

/** Upstream check `restrictedVolumes` (v1.0+): volumes only of the core, non-host types. */
export const pssRestrictedVolumeTypesCel = defineCelTranslation({
  ruleId: 'pss-restricted-volume-types',
  translate: () => [
    {
      expression: `variables.podSpec.?volumes.orValue([]).all(v, ${OK})`,
      detail: `'volume ' + variables.podSpec.?volumes.orValue([]).filter(v, !(${OK})).map(v, "'" + v.?name.orValue('') + "'").join(', ') + ' has a restricted type (allowed: ${RESTRICTED_VOLUME_TYPES.join(', ')})'`,
    },
  ],
});
