import type { Volume } from 'kubernetes-types/core/v1';

/** The CSI driver of the Secrets Store CSI Driver (SecretProviderClass). */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';

/**
 * Why the volume a secret source hands a pod is not one a hardened pod mounts, or undefined when it is: only a Secret
 * volume readable by owner and group (what an ExternalSecret materializes) or a read-only Secrets Store CSI volume
 * (a SecretProviderClass). Anything else a custom source could return (a projected service account token of any
 * lifetime, a hostPath, another driver) would widen the pod past what its own props allow.
 */
export function secretVolumeProblem(volume: Omit<Volume, 'name'>): string | undefined {
  const kinds = Object.keys(volume ?? {}).filter((k) => (volume as Record<string, unknown>)[k] !== undefined);
  const notAllowed = 'not a Secret or a Secrets Store CSI volume';
  if (kinds.length !== 1 || (kinds[0] !== 'secret' && kinds[0] !== 'csi')) {
    const tokens = (volume?.projected?.sources ?? []).filter((s) => s?.serviceAccountToken !== undefined);
    const sources = [...new Set((volume?.projected?.sources ?? []).flatMap((x) => Object.keys(x ?? {})))];
    const what = kinds[0] === 'projected' ? `projected (${sources.join(', ')})` : kinds.join(', ') || 'empty';
    const token =
      tokens.length > 0
        ? `: a service account token with expirationSeconds ${tokens[0].serviceAccountToken?.expirationSeconds ?? 'unset'} would outlive the pod`
        : '';
    return `its volume is ${what}, ${notAllowed}${token}`;
  }
  if (volume.csi) {
    if (volume.csi.driver !== SECRETS_STORE_CSI_DRIVER)
      return `its volume is csi with driver '${volume.csi.driver}', ${notAllowed}`;
    if (volume.csi.readOnly !== true) return 'its Secrets Store CSI volume is not read-only';
    return undefined;
  }
  const mode = volume.secret?.defaultMode;
  if (mode !== undefined && (!Number.isInteger(mode) || (mode & 0o007) !== 0 || mode > 0o777)) {
    return `its Secret volume's defaultMode ${Number.isInteger(mode) ? `0${mode.toString(8)}` : String(mode)} lets every user of the container read the files`;
  }
  return undefined;
}
