import { AksClusterConfig, readAksConfig } from '../aks/aks-config';
import { EksClusterConfig, readEksConfig } from '../eks/eks-config';
import { GkeClusterConfig, readGkeConfig } from '../gke/gke-config';
import { ConfigError } from '../config/config-error';
import { ConfigReader, RawConfig } from '../config/config-reader';
import { AddonsConfig, AddonsConfigError, readAddonsConfig } from '../addons/addons-config';
import { ImageSignerError, parseImageSigners } from '../../policy/image-signers';

/** A validated cluster stack config; `cloud` selects the component. */
export type ClusterConfig = (EksClusterConfig | GkeClusterConfig | AksClusterConfig) & {
  /** `bulwark:addons` (with `bulwark:signers`): the add-ons switched on; absent or empty: none. */
  readonly addons?: AddonsConfig;
};
export type CloudName = ClusterConfig['cloud'];

/** Config validation per cloud. These modules import no cloud SDK, so validating never loads one. */
const READERS: { readonly [C in CloudName]: (r: ConfigReader) => Extract<ClusterConfig, { cloud: C }> | undefined } = {
  aws: readEksConfig,
  gcp: readGkeConfig,
  azure: readAksConfig,
};

export const SUPPORTED_CLOUDS = Object.keys(READERS) as CloudName[];

/**
 * The one validation for both ways config arrives: a parsed stack file (`bulwark plan`) and `pulumi.Config`
 * (`pulumi up`). Throws a ConfigError naming every bad key, the value received and what is allowed.
 * @param source where the values came from, e.g. `stacks/Pulumi.eks-prod.yaml`; starts every message
 */
export function validateClusterConfig(raw: RawConfig, source: string, namespace = 'bulwark'): ClusterConfig {
  const r = new ConfigReader(raw, namespace);
  const cloud = r.string('cloud', r.value('cloud'), {
    oneOf: SUPPORTED_CLOUDS,
    allowed: `${SUPPORTED_CLOUDS.slice(0, -1)
      .map((c) => `"${c}"`)
      .join(', ')} or "${SUPPORTED_CLOUDS[SUPPORTED_CLOUDS.length - 1]}"`,
    fix: `set ${r.key('cloud')} to the cloud the cluster runs in (aws: EKS, gcp: GKE, azure: AKS)`,
  });
  if (cloud === undefined) throw new ConfigError(source, r.problems);
  const config = READERS[cloud as CloudName](r);
  const addons = readAddons(r, config?.baselineApply);
  r.rejectUnknownKeys();
  r.throwIfProblems(source);
  if (config === undefined) throw new Error(`${source}: config for cloud '${cloud}' was refused without a reason`);
  return addons && Object.keys(addons).length > 0 ? { ...config, addons } : config;
}

/** `bulwark:addons` and `bulwark:signers`; problems are reported like every other key's. */
function readAddons(r: ConfigReader, baselineApply: string | undefined): AddonsConfig | undefined {
  const raw = r.value('addons');
  const signers = r.value('signers');
  try {
    if (signers !== undefined) parseImageSigners(signers, r.key('signers'));
    const addons = readAddonsConfig(raw, signers);
    // Log shipping is made by the cloud component, not through the cluster provider: it works on every apply path.
    const inCluster = Object.keys(addons).filter((k) => k !== 'logShipping');
    if (inCluster.length > 0 && baselineApply !== undefined && baselineApply !== 'in-program') {
      r.report(
        'addons',
        raw,
        `add-ons only with ${r.key('baselineApply')}: in-program`,
        `remove ${r.key('addons')}, or install the baseline from this program`,
        'the add-ons are installed with the baseline, through the cluster provider of this program',
      );
    }
    return addons;
  } catch (e) {
    if (!(e instanceof AddonsConfigError || e instanceof ImageSignerError)) throw e;
    r.report(
      e.message.startsWith('bulwark:signers') ? 'signers' : 'addons',
      e.message.startsWith('bulwark:signers') ? signers : raw,
      'see docs/supply-chain.md',
      'correct the value named in the problem',
      e.message,
    );
    return undefined;
  }
}
