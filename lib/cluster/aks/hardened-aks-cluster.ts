// Sub-modules only: the root of @pulumi/azure-native loads every Azure service (136 MB).
import * as authorization from '@pulumi/azure-native/authorization';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as monitor from '@pulumi/azure-native/monitor';
import * as network from '@pulumi/azure-native/network';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import { Provider } from '@pulumi/azure-native/provider';
import * as resources from '@pulumi/azure-native/resources';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { cidrsOverlap, parseIpv4Cidr } from '../../k8s/cidr';
import type {
  BaselineApplyPath,
  Environment,
  GitOpsSource,
  MaintenanceWindow,
  NodeGroupConfig,
  StorageClassSpec,
} from '../contracts/cloud-contracts';
import { AksApiServerSubnet } from './aks-api-server-subnet';
import { AksClusterAdmins } from './aks-cluster-admins';
import { AKS_SYSTEM_POOL, parseSubnetId, SubnetRef } from './aks-config';
import { AksContainerInsights } from './aks-container-insights';
import { AksControlPlaneIdentity } from './aks-control-plane-identity';
import { AksDiskEncryption } from './aks-disk-encryption';
import { AksFlux } from './aks-flux';
import { AksKeyVault } from './aks-key-vault';
import { aksKubeconfig, KubeloginMode, serverAndCa } from './aks-kubeconfig';
import { AksMaintenance } from './aks-maintenance';
import { hardenedManagedClusterArgs } from './aks-managed-cluster';
import { AksNodePool } from './aks-node-pool';

export { AKS_KEY_ROTATION, KEY_VAULT_PRIVATE_DNS_ZONE } from './aks-key-vault';
export { AKS_SYSTEM_POOL_TAINT } from './aks-node-pool';

/** What a team chooses. Everything that makes the cluster hardened is fixed below and is not an input. */
export interface HardenedAksClusterArgs {
  readonly clusterName: string;
  readonly subscriptionId: string;
  /** Azure region, e.g. `westeurope`. */
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.31`; the `patch` upgrade channel keeps it patched. */
  readonly kubernetesVersion: string;
  /** Existing subnet for the nodes and the Key Vault's private endpoint. */
  readonly nodeSubnetId: string;
  /** Free range of the node subnet's VNet for the delegated API server subnet. */
  readonly apiServerSubnetCidr: string;
  /** Networks allowed to reach the private API server on 443. */
  readonly authorizedNetworks: readonly string[];
  /** Entra ID groups given cluster-admin through Azure RBAC. */
  readonly adminGroupObjectIds: readonly string[];
  /** Must contain the `system` pool and at least one other. */
  readonly nodeGroups: readonly NodeGroupConfig[];
  /**
   * Dedicated agent pools for sensitive workloads, hardened like the others and labelled and tainted
   * `bulwark.dev/pool=<name>:NoSchedule` (what `isolation: { pool: <name> }` selects and tolerates).
   */
  readonly isolatedPools?: readonly NodeGroupConfig[];
  /** Weekly windows for Kubernetes patches (first day) and node images (last day). */
  readonly maintenanceWindow: MaintenanceWindow;
  /** Recorded in tags; AKS has no deletion protection of its own (a resource lock is the platform team's choice). */
  readonly environment: Environment;
  /** Egress through the standard load balancer (default) or the node subnet's route table (a firewall). */
  readonly outboundType?: 'loadBalancer' | 'userDefinedRouting';
  /** An existing privatelink.vaultcore.azure.net zone (the hub's); without it the cluster creates its own. */
  readonly keyVaultDnsZoneId?: string;
  /** `gitops` installs Flux (the AKS GitOps extension) pulling the baseline from `gitops`. */
  readonly baselineApply: BaselineApplyPath;
  readonly gitops?: GitOpsSource;
  /** How the kubeconfig's kubelogin signs in: `azurecli` (default), `workloadidentity` or `msi` for runners. */
  readonly kubeloginMode?: KubeloginMode;
  /** Container and node logs to the cluster's workspace through Container Insights (bulwark:addons log-shipping). */
  readonly logShipping?: boolean;
}

/** Kubernetes audit logs and Entra ID (guard) authentication logs; kube-audit-admin is the write-only subset. */
export const AKS_AUDIT_LOG_CATEGORIES = ['kube-audit', 'kube-audit-admin', 'guard'];
/** Log Analytics retention of the audit logs: one year, the usual audit-trail requirement. */
export const AKS_LOG_RETENTION_DAYS = 365;
/** The default StorageClass's volumes: Azure Disk CSI, zone-redundant premium SSD. */
export const AKS_STORAGE_PROVISIONER = 'disk.csi.azure.com';

/**
 * A hardened Azure Kubernetes Service cluster from plain `@pulumi/azure-native` resources, made of sub-components (the
 * control-plane identity, the API server subnet, the private key vault, the agent pools, the maintenance windows,
 * Flux, the cluster admins), with the managed cluster's hardened arguments in `hardenedManagedClusterArgs`:
 * Secrets encrypted in etcd by the KMS plugin with a rotating key in a private, purge-protected Key Vault (reached
 * through its private endpoint and used by a user-assigned identity with role assignments made before the cluster),
 * a private API server projected into a delegated subnet whose NSG admits the authorized networks only, no public
 * FQDN and no run command, kube-audit / kube-audit-admin / guard logs kept a year in Log Analytics, local accounts off
 * with Entra ID and Azure RBAC, workload identity with the OIDC issuer, Cilium network policy, the patch upgrade channel,
 * the Azure Policy add-on, and agent pools with encryption at host, no public IPs and no SSH, with a separate system
 * pool.
 */
export class HardenedAksCluster extends BulwarkComponent {
  public readonly clusterName: pulumi.Output<string>;
  /** The private API server FQDN (resolvable from the VNet and networks linked to its private DNS zone). */
  public readonly endpoint: pulumi.Output<string>;
  /** Kubeconfig using `kubelogin` with the Azure CLI login; a secret. */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly keyVaultId: pulumi.Output<string>;
  /** The etcd key version the KMS plugin uses. */
  public readonly etcdKeyId: pulumi.Output<string>;
  public readonly controlPlaneIdentityId: pulumi.Output<string>;
  public readonly oidcIssuerUrl: pulumi.Output<string>;
  public readonly logAnalyticsWorkspaceId: pulumi.Output<string>;
  /** The disk encryption set of the node OS disks and of the default StorageClass's volumes. */
  public readonly diskEncryptionSetId: pulumi.Output<string>;
  public readonly storageClass: StorageClassSpec;

  constructor(name: string, args: HardenedAksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('HardenedAksCluster', name, opts);
    const { nodeSubnet, systemGroup } = checkArgs(name, args);

    // An explicit provider: subscription and region come from the stack's bulwark: keys, never from ambient config.
    const provider = new Provider(
      `${name}-azure`,
      { subscriptionId: args.subscriptionId, location: args.region },
      { parent: this },
    );
    const child = { parent: this, provider };
    const tags = {
      'bulwark-cluster': args.clusterName,
      'bulwark-environment': args.environment,
      'managed-by': 'bulwark',
    };
    const tenantId = authorization.getClientConfigOutput(child).tenantId;
    const groupArgs: resources.ResourceGroupArgs = {
      resourceGroupName: `${args.clusterName}-rg`,
      location: args.region,
      tags,
    };
    const rg = new resources.ResourceGroup(`${name}-rg`, groupArgs, child).name;
    const common = { clusterName: args.clusterName, subscriptionId: args.subscriptionId, region: args.region, tags };

    const nodeSubnetPrefix = checkedNodeSubnetPrefix(name, args, nodeSubnet, child);
    const identity = new AksControlPlaneIdentity(
      `${name}-control-plane`,
      { ...common, resourceGroupName: rg, nodeSubnetId: args.nodeSubnetId, formerNamePrefix: name },
      child,
    );
    const workspaceArgs: operationalinsights.WorkspaceArgs = {
      workspaceName: `${args.clusterName}-logs`,
      resourceGroupName: rg,
      location: args.region,
      sku: { name: 'PerGB2018' },
      retentionInDays: AKS_LOG_RETENTION_DAYS,
      tags,
    };
    const workspace = new operationalinsights.Workspace(`${name}-logs`, workspaceArgs, child);
    const apiServerSubnet = new AksApiServerSubnet(
      `${name}-apiserver-subnet`,
      {
        ...common,
        resourceGroupName: rg,
        nodeSubnet,
        nodeSubnetPrefix,
        cidr: args.apiServerSubnetCidr,
        authorizedNetworks: args.authorizedNetworks,
        identityPrincipalId: identity.principalId,
      },
      child,
    );
    const vault = new AksKeyVault(
      `${name}-kms-vault`,
      {
        ...common,
        tenantId,
        resourceGroupName: rg,
        nodeSubnetId: args.nodeSubnetId,
        nodeSubnet,
        ...(args.keyVaultDnsZoneId !== undefined ? { privateDnsZoneId: args.keyVaultDnsZoneId } : {}),
        identityPrincipalId: identity.principalId,
        workspaceId: workspace.id,
      },
      child,
    );
    const disks = new AksDiskEncryption(
      `${name}-disk-encryption`,
      {
        ...common,
        resourceGroupName: rg,
        keyVaultId: vault.vaultId,
        diskKeyId: vault.diskKeyId,
        diskKeyUri: vault.diskKeyUri,
        clusterPrincipalId: identity.principalId,
      },
      child,
    );

    const clusterArgs = hardenedManagedClusterArgs({
      ...common,
      kubernetesVersion: args.kubernetesVersion,
      resourceGroupName: rg,
      tenantId,
      identityId: identity.id,
      apiServerSubnetId: apiServerSubnet.subnetId,
      etcdKeyUri: vault.etcdKeyUri,
      keyVaultId: vault.vaultId,
      diskEncryptionSetId: disks.diskEncryptionSetId,
      outboundType: args.outboundType ?? 'loadBalancer',
      systemGroup,
      nodeSubnetId: args.nodeSubnetId,
      ...(args.logShipping ? { logShippingWorkspaceId: workspace.id } : {}),
    });
    const cluster = new containerservice.ManagedCluster(`${name}-cluster`, clusterArgs, {
      ...child,
      // Every permission the identity needs exists before the cluster: KMS cannot be turned on without them.
      dependsOn: [...apiServerSubnet.ready, ...identity.ready, ...vault.ready, ...disks.ready],
      // Azure reads the inline system pool at creation only: later changes to agentPoolProfiles are not applied by a
      // cluster update (and the autoscaler owns its count). The system pool is changed the Azure way: add a new
      // System pool, move the system pods, delete the old one. Comparing it would otherwise fail or fight on every up.
      ignoreChanges: ['agentPoolProfiles'],
    });

    const auditArgs: monitor.DiagnosticSettingArgs = {
      name: 'bulwark-audit',
      resourceUri: cluster.id,
      workspaceId: workspace.id,
      logAnalyticsDestinationType: 'Dedicated',
      logs: AKS_AUDIT_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
    };
    new monitor.DiagnosticSetting(`${name}-audit-logs`, auditArgs, child);
    if (args.logShipping) {
      const insights = { clusterId: cluster.id, workspaceId: workspace.id, resourceGroupName: rg };
      new AksContainerInsights(`${name}-container-insights`, { ...common, ...insights }, child);
    }
    const onCluster = { clusterName: cluster.name, resourceGroupName: rg };
    new AksMaintenance(`${name}-maintenance`, { ...onCluster, window: args.maintenanceWindow }, child);
    const pools = [
      ...args.nodeGroups.filter((g) => g !== systemGroup).map((group) => ({ group, isolated: false })),
      ...(args.isolatedPools ?? []).map((group) => ({ group, isolated: true })),
    ];
    for (const { group, isolated } of pools) {
      const poolArgs = { kubernetesVersion: args.kubernetesVersion, nodeSubnetId: args.nodeSubnetId };
      new AksNodePool(`${name}-${group.name}`, { ...onCluster, ...poolArgs, group, isolated }, child);
    }
    if (args.gitops !== undefined && args.baselineApply === 'gitops') {
      new AksFlux(`${name}-flux`, { ...onCluster, source: args.gitops }, child);
    }
    new AksClusterAdmins(
      `${name}-admin`,
      { ...common, clusterId: cluster.id, adminGroupObjectIds: args.adminGroupObjectIds },
      child,
    );

    this.clusterName = cluster.name;
    this.endpoint = cluster.privateFQDN;
    this.keyVaultId = vault.vaultId;
    this.etcdKeyId = vault.etcdKeyUri;
    this.controlPlaneIdentityId = identity.id;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? '');
    this.logAnalyticsWorkspaceId = workspace.id;
    this.diskEncryptionSetId = disks.diskEncryptionSetId;
    // Volumes are encrypted at rest with the disk key through the disk encryption set (and their caches on the nodes
    // by encryption at host).
    this.storageClass = {
      provisioner: AKS_STORAGE_PROVISIONER,
      parameters: disks.diskEncryptionSetId.apply((diskEncryptionSetID) => ({
        skuName: 'Premium_ZRS',
        cachingMode: 'ReadOnly',
        diskEncryptionSetID,
      })),
    };
    this.kubeconfig = userKubeconfig(rg, cluster.name, args.kubeloginMode, child);
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      keyVaultId: this.keyVaultId,
      etcdKeyId: this.etcdKeyId,
      controlPlaneIdentityId: this.controlPlaneIdentityId,
      oidcIssuerUrl: this.oidcIssuerUrl,
      logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
      diskEncryptionSetId: this.diskEncryptionSetId,
    });
  }
}

/** The node subnet's parts and the system group, after checking the arguments that can be checked before deploying. */
function checkArgs(
  name: string,
  args: HardenedAksClusterArgs,
): { nodeSubnet: SubnetRef; systemGroup: NodeGroupConfig } {
  const nodeSubnet = parseSubnetId(args.nodeSubnetId);
  if (nodeSubnet === undefined) {
    throw new Error(
      `HardenedAksCluster '${name}': nodeSubnetId ${JSON.stringify(args.nodeSubnetId)} is not a subnet resource id. ` +
        'Allowed: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>. ' +
        'Fix: copy the id from az network vnet subnet show ... --query id.',
    );
  }
  const systemGroup = args.nodeGroups.find((g) => g.name === AKS_SYSTEM_POOL);
  if (systemGroup === undefined) {
    throw new Error(
      `HardenedAksCluster '${name}': nodeGroups ${JSON.stringify(args.nodeGroups.map((g) => g.name))} has no ` +
        `"${AKS_SYSTEM_POOL}" group. Allowed: a "${AKS_SYSTEM_POOL}" group (the AKS system pool) and others for ` +
        `workloads. Fix: add {name: "${AKS_SYSTEM_POOL}", ...}.`,
    );
  }
  if (args.baselineApply === 'gitops' && args.gitops === undefined) {
    throw new Error(
      `HardenedAksCluster '${name}': baselineApply is gitops but no gitops source is given. Allowed: ` +
        '{url, branch, path} of the repository holding the synthesized baseline. Fix: set bulwark:gitops.',
    );
  }
  return { nodeSubnet, systemGroup };
}

/**
 * The kubeconfig (a secret) that signs in with kubelogin. Asked once the cluster exists (inside an apply, so a cluster
 * that failed asks nothing): AKS hands out the API server address and CA only in the user kubeconfig.
 */
function userKubeconfig(
  resourceGroupName: pulumi.Output<string>,
  clusterName: pulumi.Output<string>,
  loginMode: KubeloginMode | undefined,
  opts: pulumi.InvokeOptions,
): pulumi.Output<string> {
  const credentials = pulumi
    .all([resourceGroupName, clusterName])
    .apply(([rg, resourceName]) =>
      containerservice.listManagedClusterUserCredentials({ resourceGroupName: rg, resourceName, format: 'exec' }, opts),
    );
  return pulumi.secret(
    pulumi.all([clusterName, credentials]).apply(([name, creds]) => {
      const { server, ca } = serverAndCa(creds.kubeconfigs[0]?.value ?? '', name);
      return aksKubeconfig({
        clusterName: name,
        server,
        certificateAuthority: ca,
        ...(loginMode ? { loginMode } : {}),
      });
    }),
  );
}

/**
 * The node subnet's address range, checked at deploy time: the subnet exists, is not delegated to another service,
 * has a route table when egress goes through one, and does not overlap the API server range. Its range is the only one
 * allowed to reach the API server besides the authorized networks.
 */
function checkedNodeSubnetPrefix(
  name: string,
  args: HardenedAksClusterArgs,
  nodeSubnet: SubnetRef,
  opts: pulumi.InvokeOptions,
): pulumi.Output<string> {
  const { resourceGroupName, virtualNetworkName, subnetName } = nodeSubnet;
  return network
    .getSubnetOutput({ resourceGroupName, virtualNetworkName, subnetName }, opts)
    .apply((s) => checkNodeSubnet(name, args, s));
}

/** The node subnet's address range, after checking that AKS can use it next to the API server subnet. */
function checkNodeSubnet(
  name: string,
  args: HardenedAksClusterArgs,
  subnet: {
    addressPrefix?: string;
    addressPrefixes?: string[];
    delegations?: { serviceName?: string }[];
    routeTable?: { id?: string };
  },
): string {
  const prefix = subnet.addressPrefix ?? subnet.addressPrefixes?.[0];
  const cidr = prefix === undefined ? undefined : parseIpv4Cidr(prefix);
  if (prefix === undefined || cidr === undefined) {
    throw new Error(
      `HardenedAksCluster '${name}': nodeSubnetId ${args.nodeSubnetId} has no IPv4 address prefix ` +
        `(${JSON.stringify(prefix)}). Allowed: an IPv4 subnet. Fix: use the IPv4 subnet the nodes should join.`,
    );
  }
  const delegated = (subnet.delegations ?? []).map((d) => d.serviceName).filter((s) => s !== undefined);
  if (delegated.length > 0) {
    throw new Error(
      `HardenedAksCluster '${name}': nodeSubnetId ${args.nodeSubnetId} is delegated to ${delegated.join(', ')}. ` +
        'Allowed: a subnet without delegations. Fix: give the nodes a subnet of their own.',
    );
  }
  if (args.outboundType === 'userDefinedRouting' && subnet.routeTable?.id === undefined) {
    throw new Error(
      `HardenedAksCluster '${name}': outboundType is userDefinedRouting but nodeSubnetId ${args.nodeSubnetId} has no ` +
        'route table. Allowed: a node subnet whose route table sends 0.0.0.0/0 to a firewall or NVA. Fix: associate ' +
        'the route table with the subnet before creating the cluster, or use outboundType loadBalancer.',
    );
  }
  const api = parseIpv4Cidr(args.apiServerSubnetCidr);
  if (api !== undefined && cidrsOverlap(api, cidr)) {
    throw new Error(
      `HardenedAksCluster '${name}': apiServerSubnetCidr ${args.apiServerSubnetCidr} overlaps the node subnet ` +
        `${prefix}. Allowed: a free range of the VNet outside every subnet. Fix: pick another /28 of the VNet.`,
    );
  }
  return prefix;
}
