import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';

/** Upstream check `hostPorts` (v1.0+): ports[*].hostPort must be unset or 0. */
export const pssBaselineHostPortsCel = defineCelTranslation({
  ruleId: 'pss-baseline-host-ports',
  translate: () => [
    everyContainer(
      'c.?ports.orValue([]).all(p, p.?hostPort.orValue(0) == 0)',
      'must not set ports[*].hostPort (use a Service instead)',
    ),
  ],
});
