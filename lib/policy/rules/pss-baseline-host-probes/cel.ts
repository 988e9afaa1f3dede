import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { PSS_SINCE } from '../../pss-allow-lists';
import { atLeast } from '../../admission/pss-cel';

const noHost = (handler: string) =>
  `${handler}.?httpGet.?host.orValue('') == '' && ${handler}.?tcpSocket.?host.orValue('') == ''`;
const OK =
  `['livenessProbe', 'readinessProbe', 'startupProbe'].all(p, ${noHost('c[?p]')}) && ` +
  `['postStart', 'preStop'].all(h, ${noHost('c.?lifecycle[?h]')})`;

/**
 * Upstream check `hostProbesAndHostLifecycle` (v1.34+): probes and lifecycle handlers must not set httpGet.host or
 * tcpSocket.host (they would let the kubelet reach arbitrary hosts on the pod's behalf).
 */
export const pssBaselineHostProbesCel = defineCelTranslation({
  ruleId: 'pss-baseline-host-probes',
  translate: (options) =>
    atLeast(options, PSS_SINCE.hostProbes)
      ? [
          everyContainer(
            OK,
            'must not set host in httpGet/tcpSocket of livenessProbe, readinessProbe, startupProbe or lifecycle postStart/preStop',
          ),
        ]
      : undefined,
});
