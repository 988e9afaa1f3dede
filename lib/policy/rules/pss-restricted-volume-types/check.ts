import { asArray, isRecord } from '../../../k8s/k8s-object';
import { RESTRICTED_VOLUME_TYPES } from '../../pss-allow-lists';
import { defineRule, Violation } from '../../rule';
import { isSet, show } from '../../pss-fields';

const ALLOWED = new Set(RESTRICTED_VOLUME_TYPES);
const ALLOWED_TEXT = RESTRICTED_VOLUME_TYPES.join(', ');

/**
 * Upstream check `restrictedVolumes` (v1.0+). A volume that names no source at all is admitted: the API server
 * defaults it to emptyDir (upstream's own fixtures include such a volume among the allowed ones).
 */
export const pssRestrictedVolumeTypes = defineRule({
  id: 'pss-restricted-volume-types',
  title: 'Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, PVC, projected and secret volumes are allowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'restricted' },
  references: {
    pss: 'restricted: Volume Types',
    cis: ['5.2.12'],
    nsa: ['Kubernetes Pod security: Pod security enforcement'],
    owasp: ['K01'],
  },
  remediation:
    'Mount storage through a persistentVolumeClaim (the storage backend belongs in a PersistentVolume or StorageClass), or use configMap, secret, projected, downwardAPI, emptyDir, ephemeral, csi or image volumes.',
  check(pod) {
    const out: Violation[] = [];
    asArray(pod.spec.volumes).forEach((v, i) => {
      if (!isRecord(v)) return;
      for (const key of Object.keys(v)) {
        if (key === 'name' || ALLOWED.has(key) || !isSet(v[key])) continue;
        out.push({
          message: `volume ${show(v.name)} has type ${key}; allowed: ${ALLOWED_TEXT}`,
          path: `${pod.specPath}.volumes[${i}].${key}`,
        });
      }
    });
    return out;
  },
});
