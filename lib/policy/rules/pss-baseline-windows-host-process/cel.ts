import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';

/** Upstream check `windowsHostProcess` (v1.0+): windowsOptions.hostProcess of the pod and containers must not be true. */
export const pssBaselineWindowsHostProcessCel = defineCelTranslation({
  ruleId: 'pss-baseline-windows-host-process',
  translate: () => [
    {
      expression: 'variables.podSpec.?securityContext.?windowsOptions.?hostProcess.orValue(false) != true',
      detail: "'pod sets ' + variables.specPath + '.securityContext.windowsOptions.hostProcess=true'",
    },
    everyContainer(
      'c.?securityContext.?windowsOptions.?hostProcess.orValue(false) != true',
      'must not set securityContext.windowsOptions.hostProcess=true',
    ),
  ],
});
