import { canonicalCidr, hasHostBits, isRfc1918, parseIpv4Cidr } from '../../k8s/cidr';
import { readCommonConfig } from '../config/common-config';
import { ConfigReader } from '../config/config-reader';
import type { CloudConventions, CommonClusterConfig } from '../contracts/cloud-contracts';
import { KUBELOGIN_MODES, KubeloginMode } from './aks-kubeconfig';
import { AKS_VERSIONS } from './aks-versions';

/** What a team chooses for an AKS cluster; everything else is fixed hardening in HardenedAksCluster. */
export interface AksClusterConfig extends CommonClusterConfig {
  readonly cloud: 'azure';
  /** The subscription everything is created in; the provider is pinned to it. */
  readonly subscriptionId: string;
  /**
   * Resource id of an existing subnet for the nodes (Azure CNI overlay: pods get addresses outside the VNet). The
   * Key Vault's private endpoint goes here too. Its VNet receives the API server subnet.
   */
  readonly nodeSubnetId: string;
  /** A free RFC 1918 range (/28 or larger) of the node subnet's VNet for the API server subnet the cluster creates. */
  readonly apiServerSubnetCidr: string;
  /** Entra ID groups given cluster-admin through Azure RBAC (Azure Kubernetes Service RBAC Cluster Admin). */
  readonly adminGroupObjectIds: readonly string[];
  /**
   * `loadBalancer`: egress through the cluster's standard load balancer; `userDefinedRouting`: through the node
   * subnet's route table (0.0.0.0/0 to a firewall, as aks-baseline does), which must exist before the cluster.
   */
  readonly outboundType: 'loadBalancer' | 'userDefinedRouting';
  /**
   * An existing `privatelink.vaultcore.azure.net` zone (usually the hub's) for the key vault's endpoint; without it the
   * cluster creates and links its own zone.
   */
  readonly keyVaultDnsZoneId?: string;
  /** How the stack's kubeconfig signs in with kubelogin (azurecli for people; workloadidentity or msi for runners). */
  readonly kubeloginMode: KubeloginMode;
}

/** The pool of the `nodeGroups` that becomes the AKS system pool (tainted for system pods only). */
export const AKS_SYSTEM_POOL = 'system';

export const AKS_CONVENTIONS: CloudConventions = {
  machineTypeField: 'vmSize',
  machineTypePattern: /^Standard_[A-Za-z0-9_]+$/,
  machineTypeExample: 'Standard_D4ds_v5',
  regionPattern: /^[a-z]+[a-z0-9]*$/,
  regionExample: 'westeurope',
  // The Key Vault name (3 to 24 characters, globally unique) is the cluster name, `-kms-` and a 4-character suffix.
  maxClusterNameLength: 15,
  // AKS agent pool names: lower-case letters and digits, at most 12 characters for Linux pools.
  nodeGroupName: {
    pattern: /^[a-z][a-z0-9]{0,11}$/,
    allowed: 'lower-case letters and digits, starting with a letter, at most 12 characters (AKS agent pool names)',
  },
  supportedVersions: AKS_VERSIONS.map((v) => v.version),
  // aks-baseline: Flux (the AKS GitOps extension) pulls the baseline from inside the cluster; no inbound path needed.
  applyPaths: ['gitops', 'in-program', 'separate-stack'],
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SUBNET_ID =
  /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Network\/virtualNetworks\/([-\w.]{2,64})\/subnets\/([-\w.]{1,80})$/;

/** The parts of a subnet resource id. */
export interface SubnetRef {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly virtualNetworkName: string;
  readonly subnetName: string;
  /** Resource id of the subnet's VNet. */
  readonly virtualNetworkId: string;
}

/** Splits `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<s>`. */
export function parseSubnetId(id: string): SubnetRef | undefined {
  const m = SUBNET_ID.exec(id);
  if (!m) return undefined;
  return {
    subscriptionId: m[1],
    resourceGroupName: m[2],
    virtualNetworkName: m[3],
    subnetName: m[4],
    virtualNetworkId: id.slice(0, id.lastIndexOf('/subnets/')),
  };
}

export function readAksConfig(r: ConfigReader): AksClusterConfig | undefined {
  const common = readCommonConfig(r, AKS_CONVENTIONS);
  const subscriptionId = r.string('subscriptionId', r.value('subscriptionId'), {
    pattern: GUID,
    allowed: 'a subscription id (a lower-case GUID such as "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e")',
    fix: 'set the id of the subscription the cluster is created in (az account show --query id)',
  });
  const nodeSubnetId = readNodeSubnetId(r, subscriptionId);
  const apiServerSubnetCidr = readApiServerSubnetCidr(r);
  const adminGroupObjectIds = r.stringList(
    'adminGroupObjectIds',
    1,
    {
      allowed: 'a list of at least one Entra ID group object id given cluster-admin through Azure RBAC',
      fix: 'add the platform team\'s group, e.g. adminGroupObjectIds: ["6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"]',
    },
    {
      pattern: GUID,
      allowed: 'an Entra ID group object id (a lower-case GUID); groups, not users',
      fix: 'use the object id of a group (az ad group show --group <name> --query id); people join and leave the group',
    },
  );
  const outboundType = r.has('outboundType')
    ? (r.string('outboundType', r.value('outboundType'), {
        oneOf: ['loadBalancer', 'userDefinedRouting'],
        allowed: '"loadBalancer" or "userDefinedRouting" (egress through the node subnet\'s route table to a firewall)',
        fix: 'use userDefinedRouting when the node subnet routes 0.0.0.0/0 to a firewall, else leave the key out',
      }) as 'loadBalancer' | 'userDefinedRouting' | undefined)
    : 'loadBalancer';
  const keyVaultDnsZoneId = readKeyVaultDnsZoneId(r);
  const kubeloginMode = r.has('kubeloginMode')
    ? (r.string('kubeloginMode', r.value('kubeloginMode'), {
        oneOf: KUBELOGIN_MODES,
        allowed: KUBELOGIN_MODES.map((m) => `"${m}"`).join(', '),
        fix: 'use azurecli where people run pulumi up after az login, workloadidentity or msi on a CI runner in the VNet',
      }) as KubeloginMode | undefined)
    : 'azurecli';
  const systemPool = common?.nodeGroups.find((g) => g.name === AKS_SYSTEM_POOL);
  if (common !== undefined && systemPool === undefined) {
    r.report(
      'nodeGroups',
      common.nodeGroups.map((g) => g.name),
      `a node group named "${AKS_SYSTEM_POOL}" (the AKS system pool, tainted CriticalAddonsOnly) and at least one other`,
      `add {name: ${AKS_SYSTEM_POOL}, vmSize: Standard_D4ds_v5, minCount: 2, maxCount: 3}`,
      `no "${AKS_SYSTEM_POOL}" group`,
    );
  } else if (common !== undefined && common.nodeGroups.length < 2) {
    r.report(
      'nodeGroups',
      common.nodeGroups.map((g) => g.name),
      `a node group named "${AKS_SYSTEM_POOL}" and at least one other for the workloads`,
      'add a group for the workloads, e.g. {name: workers, vmSize: Standard_D4ds_v5, minCount: 2, maxCount: 10}',
      'only the system pool, which is tainted so that workloads do not run on it',
    );
  }
  if (
    common === undefined ||
    systemPool === undefined ||
    common.nodeGroups.length < 2 ||
    subscriptionId === undefined ||
    nodeSubnetId === undefined ||
    apiServerSubnetCidr === undefined ||
    adminGroupObjectIds === undefined ||
    outboundType === undefined ||
    kubeloginMode === undefined ||
    keyVaultDnsZoneId === null
  ) {
    return undefined;
  }
  return {
    cloud: 'azure',
    ...common,
    subscriptionId,
    nodeSubnetId,
    apiServerSubnetCidr,
    adminGroupObjectIds,
    outboundType,
    kubeloginMode,
    ...(keyVaultDnsZoneId ? { keyVaultDnsZoneId } : {}),
  };
}

const PRIVATE_DNS_ZONE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.vaultcore\.azure\.net$/;

/** undefined: not set; null: set and refused. */
function readKeyVaultDnsZoneId(r: ConfigReader): string | undefined | null {
  if (!r.has('keyVaultDnsZoneId')) return undefined;
  return (
    r.string('keyVaultDnsZoneId', r.value('keyVaultDnsZoneId'), {
      pattern: PRIVATE_DNS_ZONE_ID,
      allowed:
        'the resource id of an existing privatelink.vaultcore.azure.net private DNS zone (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net)',
      fix: "use the hub's zone id (az network private-dns zone show -g <rg> -n privatelink.vaultcore.azure.net --query id), or leave the key out to create one",
    }) ?? null
  );
}

function readNodeSubnetId(r: ConfigReader, subscriptionId: string | undefined): string | undefined {
  const example =
    '/subscriptions/<subscriptionId>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>';
  const text = r.string('nodeSubnetId', r.value('nodeSubnetId'), {
    allowed: `a subnet resource id ${example}`,
    fix: 'set the id of the existing subnet for the nodes (az network vnet subnet show ... --query id)',
  });
  if (text === undefined) return undefined;
  const subnet = parseSubnetId(text);
  if (!subnet) {
    r.report(
      'nodeSubnetId',
      text,
      `a subnet resource id ${example}`,
      'copy the id from az network vnet subnet show ... --query id',
      'not a subnet resource id',
    );
    return undefined;
  }
  if (subscriptionId !== undefined && subnet.subscriptionId !== subscriptionId) {
    r.report(
      'nodeSubnetId',
      text,
      `a subnet of subscription ${subscriptionId} (bulwark:subscriptionId)`,
      "use a subnet of the cluster's subscription, or correct bulwark:subscriptionId",
      `in subscription ${subnet.subscriptionId}`,
    );
    return undefined;
  }
  return text;
}

function readApiServerSubnetCidr(r: ConfigReader): string | undefined {
  const allowed = 'an RFC 1918 range from /16 to /28 that is free in the node subnet\'s VNet, e.g. "10.20.255.0/28"';
  const fix = 'reserve a free /28 of the VNet for the API server (AKS needs at least a /28)';
  const text = r.string('apiServerSubnetCidr', r.value('apiServerSubnetCidr'), { allowed, fix });
  if (text === undefined) return undefined;
  const cidr = parseIpv4Cidr(text);
  if (!cidr || cidr.prefix > 28 || cidr.prefix < 16 || !isRfc1918(cidr)) {
    r.report('apiServerSubnetCidr', text, allowed, fix, 'AKS delegates a private /28 or larger to the API server');
    return undefined;
  }
  if (hasHostBits(cidr)) {
    r.report('apiServerSubnetCidr', text, allowed, `use the network address "${canonicalCidr(cidr)}"`, 'host bits set');
    return undefined;
  }
  return text;
}
