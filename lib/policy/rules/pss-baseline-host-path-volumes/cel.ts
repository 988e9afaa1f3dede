import { defineCelTranslation } from '../../admission/cel-translation';

/** Upstream check `hostPathVolumes` (v1.0+): no volume may be a hostPath. */
export const pssBaselineHostPathVolumesCel = defineCelTranslation({
  ruleId: 'pss-baseline-host-path-volumes',
  translate: () => [
    {
      expression: "variables.podSpec.?volumes.orValue([]).all(v, !('hostPath' in v))",
      detail:
        "'volume ' + variables.podSpec.?volumes.orValue([]).filter(v, 'hostPath' in v).map(v, \"'\" + v.?name.orValue('') + \"'\").join(', ') + ' uses hostPath (' + variables.specPath + '.volumes[*].hostPath)'",
    },
  ],
});
