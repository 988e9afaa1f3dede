import { isPinnedByDigest } from '../../k8s/image-ref';
import { isRecord } from '../../k8s/k8s-object';
import { ImageSigner, parseImageSigners } from '../../policy/image-signers';

/** The add-ons a cluster stack can switch on in `bulwark:addons`; every one is off unless named. */
export const ADDON_NAMES = ['image-policy', 'falco', 'kube-bench'] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/** `bulwark:addons` validated: which add-ons are on, and what each needs. */
export interface AddonsConfig {
  readonly imagePolicy?: {
    readonly signers: readonly ImageSigner[];
    readonly requireSbom: boolean;
    readonly maxScanAgeHours: number;
  };
  readonly falco?: Record<string, never>;
  readonly kubeBench?: { readonly image: string };
}

export class AddonsConfigError extends Error {}

/**
 * Reads `bulwark:addons` (a mapping of add-on name to its settings, `{}` for none) and `bulwark:signers`. Unknown
 * add-ons, unknown settings and unusable values are refused, naming the key and what is allowed.
 *
 *     bulwark:addons:
 *       image-policy: { requireSbom: true, maxScanAgeHours: 168 }
 *       falco: {}
 *       kube-bench: { image: docker.io/aquasec/kube-bench:v0.10.1@sha256:... }
 */
export function readAddonsConfig(addons: unknown, signers: unknown): AddonsConfig {
  if (addons === undefined || addons === null) return {};
  if (!isRecord(addons)) {
    throw new AddonsConfigError(
      `bulwark:addons: expected a mapping of add-on name to settings (${ADDON_NAMES.join(', ')}), got ${JSON.stringify(addons)}`,
    );
  }
  const out: { -readonly [K in keyof AddonsConfig]: AddonsConfig[K] } = {};
  for (const [name, raw] of Object.entries(addons)) {
    const at = `bulwark:addons.${name}`;
    if (!(ADDON_NAMES as readonly string[]).includes(name)) {
      throw new AddonsConfigError(`${at}: unknown add-on: allowed are ${ADDON_NAMES.join(', ')}`);
    }
    const settings = raw === null || raw === true ? {} : raw;
    if (!isRecord(settings))
      throw new AddonsConfigError(`${at}: expected a mapping of settings ({} for none), got ${JSON.stringify(raw)}`);
    const allow = (keys: readonly string[]) => {
      const bad = Object.keys(settings).find((k) => !keys.includes(k));
      if (bad)
        throw new AddonsConfigError(
          `${at}.${bad}: unknown setting: allowed are ${keys.length ? keys.join(', ') : 'none'}`,
        );
    };
    switch (name as AddonName) {
      case 'image-policy': {
        allow(['requireSbom', 'maxScanAgeHours']);
        const list = parseImageSigners(signers, 'bulwark:signers');
        if (list.length === 0) throw new AddonsConfigError(`${at}: needs at least one signer in bulwark:signers`);
        const requireSbom = settings.requireSbom ?? true;
        if (typeof requireSbom !== 'boolean')
          throw new AddonsConfigError(`${at}.requireSbom: expected true or false, got ${JSON.stringify(requireSbom)}`);
        const maxScanAgeHours = settings.maxScanAgeHours ?? 168;
        if (
          typeof maxScanAgeHours !== 'number' ||
          !Number.isInteger(maxScanAgeHours) ||
          maxScanAgeHours < 0 ||
          maxScanAgeHours > 8760
        ) {
          throw new AddonsConfigError(
            `${at}.maxScanAgeHours: expected whole hours from 0 (no scan required) to 8760, got ${JSON.stringify(maxScanAgeHours)}`,
          );
        }
        out.imagePolicy = { signers: list, requireSbom, maxScanAgeHours };
        break;
      }
      case 'kube-bench': {
        allow(['image']);
        const image = settings.image;
        if (typeof image !== 'string' || !isPinnedByDigest(image)) {
          throw new AddonsConfigError(
            `${at}.image: expected the kube-bench image pinned by digest (docker.io/aquasec/kube-bench:<tag>@sha256:<digest>; resolve it with 'crane digest'), got ${JSON.stringify(image)}`,
          );
        }
        out.kubeBench = { image };
        break;
      }
      case 'falco':
        allow([]);
        out.falco = {};
        break;
    }
  }
  return out;
}
