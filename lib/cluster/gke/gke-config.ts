import { isRfc1918, parseIpv4Cidr } from '../../k8s/cidr';
import { readCommonConfig } from '../config/common-config';
import { ConfigReader } from '../config/config-reader';
import type { CloudConventions, CommonClusterConfig } from '../contracts/cloud-contracts';
import { GKE_VERSIONS } from './gke-versions';

/** What a team chooses for a GKE cluster; everything else is fixed hardening in HardenedGkeCluster. */
export interface GkeClusterConfig extends CommonClusterConfig {
  readonly cloud: 'gcp';
  readonly project: string;
  /** VPC network name or self link. */
  readonly network: string;
  /** Subnetwork for the nodes, with secondary ranges for pods and services (VPC-native). */
  readonly subnetwork: string;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;
  /** RFC 1918 /28 for the control plane's private endpoint. */
  readonly masterCidr: string;
  /**
   * Whether this stack owns the project-wide singletons: the Kubernetes Engine Data Access audit config and the Binary
   * Authorization policy. Exactly one stack per project may (`managed`); the others say `external`.
   */
  readonly projectPolicies: 'managed' | 'external';
}

export const GKE_CONVENTIONS: CloudConventions = {
  machineTypeField: 'machineType',
  machineTypePattern: /^[a-z][a-z0-9]*-[a-z0-9-]+$/,
  machineTypeExample: 'e2-standard-4',
  regionPattern: /^[a-z]+-[a-z]+\d+$/,
  regionExample: 'europe-west1',
  // The node service account id (6 to 30 characters) is the cluster name plus `-nodes`.
  maxClusterNameLength: 24,
  supportedVersions: GKE_VERSIONS.map((v) => v.version),
  // The DNS-based control-plane endpoint is reached through Google's front end with IAM, from anywhere the caller's
  // identity allows: the same program applies the baseline without a path into the VPC.
  applyPaths: ['in-program', 'separate-stack'],
};

const RESOURCE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function readGkeConfig(r: ConfigReader): GkeClusterConfig | undefined {
  const common = readCommonConfig(r, GKE_CONVENTIONS);
  const project = r.string('project', r.value('project'), {
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    allowed: 'a Google Cloud project id: 6 to 30 lower-case letters, digits and hyphens, starting with a letter',
    fix: 'set the id (not the display name or number) of the project, e.g. "acme-payments-prod"',
  });
  const name = (key: string, what: string, example: string) =>
    r.string(key, r.value(key), {
      pattern: RESOURCE_NAME,
      allowed: `the name of the ${what}, e.g. "${example}"`,
      fix: `set ${r.key(key)} to the existing ${what}`,
    });
  const network = name('network', 'VPC network', 'payments-vpc');
  const subnetwork = name('subnetwork', 'subnetwork for the nodes', 'payments-nodes-europe-west1');
  const podsRangeName = name('podsRangeName', 'secondary range for pods', 'pods');
  const servicesRangeName = name('servicesRangeName', 'secondary range for services', 'services');
  const masterCidr = readMasterCidr(r);
  const projectPolicies = r.has('projectPolicies')
    ? (r.string('projectPolicies', r.value('projectPolicies'), {
        oneOf: ['managed', 'external'],
        allowed:
          '"managed" (this stack owns the project\'s audit config and Binary Authorization policy) or "external"',
        fix: 'say "external" in every stack of the project but the one that owns them',
      }) as 'managed' | 'external' | undefined)
    : 'managed';
  if (
    common === undefined ||
    project === undefined ||
    network === undefined ||
    subnetwork === undefined ||
    podsRangeName === undefined ||
    servicesRangeName === undefined ||
    masterCidr === undefined ||
    projectPolicies === undefined
  ) {
    return undefined;
  }
  return {
    cloud: 'gcp',
    ...common,
    project,
    network,
    subnetwork,
    podsRangeName,
    servicesRangeName,
    masterCidr,
    projectPolicies,
  };
}

function readMasterCidr(r: ConfigReader): string | undefined {
  const value = r.value('masterCidr');
  const allowed = 'an RFC 1918 /28 not used elsewhere in the VPC, e.g. "172.16.0.32/28"';
  const fix = 'reserve a free /28 for the control plane, e.g. "172.16.0.32/28"';
  const text = r.string('masterCidr', value, { allowed, fix });
  if (text === undefined) return undefined;
  const cidr = parseIpv4Cidr(text);
  if (!cidr || cidr.prefix !== 28 || !isRfc1918(cidr) || (cidr.address & 15) !== 0) {
    r.report('masterCidr', text, allowed, fix, 'GKE needs a private /28 on a /28 boundary');
    return undefined;
  }
  return text;
}
