import { isPinnedByDigest } from '../../k8s/image-ref';
import { isRecord } from '../../k8s/k8s-object';
import { ImageSigner, parseImageSigners } from '../../policy/image-signers';
import { AddonGrantApproval, approvalProblem } from './addon-grants';

/** The add-ons a cluster stack can switch on in `bulwark:addons`; every one is off unless named. */
export const ADDON_NAMES = ['image-policy', 'falco', 'kube-bench', 'log-shipping'] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/** `bulwark:addons` validated: which add-ons are on, and what each needs. */
export interface AddonsConfig {
  /** The allowed signers and attestations; policy-controller's exemptions are granted with this approval (`grants`). */
  readonly imagePolicy?: {
    readonly signers: readonly ImageSigner[];
    readonly requireSbom: boolean;
    readonly maxScanAgeHours: number;
    readonly grants: AddonGrantApproval;
  };
  /** Falco's image (pinned by digest); its exemptions are granted with this approval (`grants`). */
  readonly falco?: { readonly image: string; readonly grants: AddonGrantApproval };
  /** kube-bench's exemptions are granted with this approval (`grants`). */
  readonly kubeBench?: { readonly image: string; readonly grants: AddonGrantApproval };
  /** Container and node logs shipped by the cloud's managed agent (lib/cluster/addons/log-shipping.ts); no settings. */
  readonly logShipping?: { readonly managedAgent: true };
}

export class AddonsConfigError extends Error {}

/**
 * Reads `bulwark:addons` (a mapping of add-on name to its settings, `{}` for none) and `bulwark:signers`. Unknown
 * add-ons, unknown settings and unusable values are refused, naming the key and what is allowed.
 *
 *     bulwark:addons:
 *       image-policy:
 *         requireSbom: true
 *         maxScanAgeHours: 168
 *         grants: { approver: platform-team (PLAT-7), expires: '2027-06-30T00:00:00Z' }
 *       falco:
 *         image: docker.io/falcosecurity/falco:0.44.1@sha256:...
 *         grants: { approver: platform-team (PLAT-7), expires: '2027-06-30T00:00:00Z' }
 *       kube-bench:
 *         image: docker.io/aquasec/kube-bench:v0.10.1@sha256:...
 *         grants: { approver: platform-team (PLAT-7), expires: '2027-06-30T00:00:00Z' }
 *       log-shipping: {}
 *
 * An add-on whose objects need exemptions (image-policy, falco, kube-bench) needs `grants`: who approved its privileges and
 * until when (at most a year ahead, see MAX_ADDON_GRANT_DAYS); the baseline installs them as grants of the stack's
 * ExemptionGrantSet. `now` is the time the expiry is judged against.
 */
export function readAddonsConfig(addons: unknown, signers: unknown, now: Date = new Date()): AddonsConfig {
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
    const approval = (): AddonGrantApproval => {
      const problem = approvalProblem(settings.grants, now);
      if (problem)
        throw new AddonsConfigError(
          `${at}.grants: ${problem} (the add-on's exemptions are granted with this approval, docs/supply-chain.md)`,
        );
      const g = settings.grants as Record<string, string>;
      return { approver: g.approver, expires: g.expires };
    };
    const pinned = (example: string): string => {
      const image = settings.image;
      if (typeof image !== 'string' || !isPinnedByDigest(image)) {
        throw new AddonsConfigError(
          `${at}.image: expected the ${name} image pinned by digest (${example}:<tag>@sha256:<digest>; resolve it with 'crane digest'), got ${JSON.stringify(image)}`,
        );
      }
      return image;
    };
    switch (name as AddonName) {
      case 'image-policy': {
        allow(['requireSbom', 'maxScanAgeHours', 'grants']);
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
        out.imagePolicy = { signers: list, requireSbom, maxScanAgeHours, grants: approval() };
        break;
      }
      case 'kube-bench': {
        allow(['image', 'grants']);
        out.kubeBench = { image: pinned('docker.io/aquasec/kube-bench'), grants: approval() };
        break;
      }
      case 'falco':
        allow(['image', 'grants']);
        out.falco = { image: pinned('docker.io/falcosecurity/falco'), grants: approval() };
        break;
      case 'log-shipping':
        allow([]);
        out.logShipping = { managedAgent: true };
        break;
    }
  }
  return out;
}
