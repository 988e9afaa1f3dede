import { asArray, isRecord } from '../../../k8s/k8s-object';
import { defineRule, Violation } from '../../rule';
import { isSet, show } from '../../pss-fields';

/** Upstream check `hostPathVolumes` (v1.0+). */
export const pssBaselineHostPathVolumes = defineRule({
  id: 'pss-baseline-host-path-volumes',
  title: 'hostPath volumes are disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: HostPath Volumes',
    cis: ['5.2.12'],
    nsa: ['Kubernetes Pod security: Pod security enforcement'],
    owasp: ['K01'],
  },
  remediation:
    'Replace the hostPath volume with a persistentVolumeClaim, configMap, secret or emptyDir; node files must not be reachable from a pod.',
  check(pod) {
    const out: Violation[] = [];
    asArray(pod.spec.volumes).forEach((v, i) => {
      if (!isRecord(v) || !isSet(v.hostPath)) return;
      const hostPath = isRecord(v.hostPath) ? v.hostPath.path : undefined;
      out.push({
        message: `volume ${show(v.name)} is a hostPath volume${hostPath !== undefined ? ` (path ${show(hostPath)})` : ''}; hostPath volumes are not allowed`,
        path: `${pod.specPath}.volumes[${i}].hostPath`,
      });
    });
    return out;
  },
});
