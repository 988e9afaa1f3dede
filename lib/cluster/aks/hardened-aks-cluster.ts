// Sub-modules only: the root of @pulumi/azure-native loads every Azure service (136 MB).
import * as authorization from '@pulumi/azure-native/authorization';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
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
import { AKS_SYSTEM_POOL, parseSubnetId } from './aks-config';
import { AksFlux } from './aks-flux';
import { AksKeyVault } from './aks-key-vault';
import { aksKubeconfig, KubeloginMode, serverAndCa } from './aks-kubeconfig';
import { AksMaintenance } from './aks-maintenance';
import { AKS_SYSTEM_POOL_TAINT, AksNodePool, hardenedPoolProfile } from './aks-node-pool';
import { AksRole, roleDefinitionId } from './aks-roles';

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
}

/** Kubernetes audit logs and Entra ID (guard) authentication logs; kube-audit-admin is the write-only subset. */
export const AKS_AUDIT_LOG_CATEGORIES = ['kube-audit', 'kube-audit-admin', 'guard'];
/** Log Analytics retention of the audit logs: one year, the usual audit-trail requirement. */
export const AKS_LOG_RETENTION_DAYS = 365;
/** The default StorageClass's volumes: Azure Disk CSI, zone-redundant premium SSD. */
export const AKS_STORAGE_PROVISIONER = 'disk.csi.azure.com';

/**
 * A hardened Azure Kubernetes Service cluster from plain `@pulumi/azure-native` resources, made of sub-components (the
 * API server subnet, the private key vault, the agent pools, the maintenance windows, Flux):
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
  public readonly storageClass: StorageClassSpec;

  constructor(name: string, args: HardenedAksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('HardenedAksCluster', name, opts);
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
    const role = (role: AksRole) => roleDefinitionId(args.subscriptionId, role);

    const groupArgs: resources.ResourceGroupArgs = {
      resourceGroupName: `${args.clusterName}-rg`,
      location: args.region,
      tags,
    };
    const group = new resources.ResourceGroup(`${name}-rg`, groupArgs, child);
    const rg = group.name;

    // Checked at deploy time: the node subnet exists, is not delegated to another service, and does not overlap the
    // API server range; its address range is the only one allowed to reach the API server besides the authorized
    // networks.
    const nodeSubnetPrefix = network
      .getSubnetOutput(
        {
          resourceGroupName: nodeSubnet.resourceGroupName,
          virtualNetworkName: nodeSubnet.virtualNetworkName,
          subnetName: nodeSubnet.subnetName,
        },
        child,
      )
      .apply((s) => checkNodeSubnet(name, args, s));

    // KMS etcd encryption needs a user-assigned identity: a system-assigned one exists only after the cluster, but
    // its key permissions must exist before (AKS KMS limitations). It is the cluster's control-plane identity.
    const identityArgs: managedidentity.UserAssignedIdentityArgs = {
      resourceName: `${args.clusterName}-control-plane`,
      resourceGroupName: rg,
      location: args.region,
      tags,
    };
    const identity = new managedidentity.UserAssignedIdentity(`${name}-control-plane-identity`, identityArgs, child);
    const assign = (
      suffix: string,
      definition: AksRole,
      scope: pulumi.Input<string>,
      principalId: pulumi.Input<string>,
      principalType: 'ServicePrincipal' | 'Group',
      description: string,
      dependsOn: pulumi.Resource[] = [],
    ) => {
      const assignmentArgs: authorization.RoleAssignmentArgs = {
        principalId,
        principalType,
        roleDefinitionId: role(definition),
        scope,
        description,
      };
      return new authorization.RoleAssignment(`${name}-${suffix}`, assignmentArgs, { ...child, dependsOn });
    };

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
        clusterName: args.clusterName,
        subscriptionId: args.subscriptionId,
        region: args.region,
        resourceGroupName: rg,
        nodeSubnet,
        nodeSubnetPrefix,
        cidr: args.apiServerSubnetCidr,
        authorizedNetworks: args.authorizedNetworks,
        identityPrincipalId: identity.principalId,
        tags,
      },
      child,
    );
    // The cluster identity joins the nodes into their subnet (and, with user-defined routing, uses its route table).
    const nodeSubnetRole = assign(
      'node-subnet-network-contributor',
      'networkContributor',
      args.nodeSubnetId,
      identity.principalId,
      'ServicePrincipal',
      `AKS ${args.clusterName}: nodes in the node subnet`,
    );
    const vault = new AksKeyVault(
      `${name}-kms-vault`,
      {
        clusterName: args.clusterName,
        subscriptionId: args.subscriptionId,
        region: args.region,
        tenantId,
        resourceGroupName: rg,
        nodeSubnetId: args.nodeSubnetId,
        nodeSubnet,
        ...(args.keyVaultDnsZoneId !== undefined ? { privateDnsZoneId: args.keyVaultDnsZoneId } : {}),
        identityPrincipalId: identity.principalId,
        workspaceId: workspace.id,
        tags,
      },
      child,
    );

    const kubernetesVersion = args.kubernetesVersion;
    const clusterArgs: containerservice.ManagedClusterArgs = {
      resourceName: args.clusterName,
      resourceGroupName: rg,
      location: args.region,
      dnsPrefix: args.clusterName,
      kubernetesVersion,
      sku: { name: 'Base', tier: 'Standard' },
      identity: { type: 'UserAssigned', userAssignedIdentities: [identity.id] },
      // Entra ID authentication and Azure RBAC authorization only: no local (certificate) accounts (CIS AKS 5.5.1,
      // 5.5.2).
      enableRBAC: true,
      disableLocalAccounts: true,
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: tenantId },
      // Private API server in the delegated subnet; no public FQDN; no run command (a way around private access).
      apiServerAccessProfile: {
        enablePrivateCluster: true,
        enablePrivateClusterPublicFQDN: false,
        privateDNSZone: 'system',
        enableVnetIntegration: true,
        subnetId: apiServerSubnet.subnetId,
        disableRunCommand: true,
      },
      securityProfile: {
        // Secrets envelope-encrypted by the KMS plugin with the customer-managed key in the private vault.
        azureKeyVaultKms: {
          enabled: true,
          keyId: vault.etcdKeyUri,
          keyVaultNetworkAccess: 'Private',
          keyVaultResourceId: vault.vaultId,
        },
        workloadIdentity: { enabled: true },
      },
      oidcIssuerProfile: { enabled: true },
      // Cilium enforces NetworkPolicy, so the baseline's default-deny policies apply. Egress leaves through the
      // standard load balancer, or through the node subnet's route table (to a firewall) with userDefinedRouting.
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataplane: 'cilium',
        networkPolicy: 'cilium',
        loadBalancerSku: 'standard',
        outboundType: args.outboundType ?? 'loadBalancer',
      },
      // Patches of the configured minor version and node images applied automatically, in the maintenance windows.
      autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
      addonProfiles: { azurepolicy: { enabled: true } },
      // The system pool (the one AKS needs at creation) runs system pods only; workloads go to the pools below.
      agentPoolProfiles: [
        {
          ...hardenedPoolProfile(systemGroup, kubernetesVersion, args.nodeSubnetId),
          mode: 'System',
          nodeTaints: [AKS_SYSTEM_POOL_TAINT],
          nodeLabels: { 'bulwark.dev/node-group': AKS_SYSTEM_POOL },
        },
      ],
      tags,
    };
    const cluster = new containerservice.ManagedCluster(`${name}-cluster`, clusterArgs, {
      ...child,
      // Every permission the identity needs exists before the cluster: KMS cannot be turned on without them.
      dependsOn: [...apiServerSubnet.ready, nodeSubnetRole, ...vault.ready],
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
    new AksMaintenance(
      `${name}-maintenance`,
      { clusterName: cluster.name, resourceGroupName: rg, window: args.maintenanceWindow },
      child,
    );

    const pools = [
      ...args.nodeGroups.filter((g) => g !== systemGroup).map((g) => ({ g, isolated: false })),
      ...(args.isolatedPools ?? []).map((g) => ({ g, isolated: true })),
    ];
    for (const { g, isolated } of pools) {
      new AksNodePool(
        `${name}-${g.name}`,
        {
          clusterName: cluster.name,
          resourceGroupName: rg,
          group: g,
          isolated,
          kubernetesVersion,
          nodeSubnetId: args.nodeSubnetId,
        },
        child,
      );
    }
    if (args.baselineApply === 'gitops') {
      if (args.gitops === undefined) {
        throw new Error(
          `HardenedAksCluster '${name}': baselineApply is gitops but no gitops source is given. Allowed: ` +
            '{url, branch, path} of the repository holding the synthesized baseline. Fix: set bulwark:gitops.',
        );
      }
      new AksFlux(`${name}-flux`, { clusterName: cluster.name, resourceGroupName: rg, source: args.gitops }, child);
    }

    // Admins are Entra ID groups with cluster-admin through Azure RBAC, and the right to fetch the kubeconfig.
    args.adminGroupObjectIds.forEach((groupId, i) => {
      assign(`admin-${i}`, 'clusterAdmin', cluster.id, groupId, 'Group', `AKS ${args.clusterName}: administrators`);
      assign(`admin-${i}-user`, 'clusterUser', cluster.id, groupId, 'Group', `AKS ${args.clusterName}: kubeconfig`);
    });

    // Asked once the cluster exists (inside an apply, so a cluster that failed asks nothing): AKS hands out the API
    // server address and CA only in the user kubeconfig.
    const credentials = pulumi
      .all([rg, cluster.name])
      .apply(([resourceGroupName, resourceName]) =>
        containerservice.listManagedClusterUserCredentials({ resourceGroupName, resourceName, format: 'exec' }, child),
      );
    this.clusterName = cluster.name;
    this.endpoint = cluster.privateFQDN;
    this.keyVaultId = vault.vaultId;
    this.etcdKeyId = vault.etcdKeyUri;
    this.controlPlaneIdentityId = identity.id;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? '');
    this.logAnalyticsWorkspaceId = workspace.id;
    // Volumes are encrypted at rest by Azure Storage (platform-managed keys) and, on the nodes, by encryption at host.
    this.storageClass = {
      provisioner: AKS_STORAGE_PROVISIONER,
      parameters: { skuName: 'Premium_ZRS', cachingMode: 'ReadOnly' },
    };
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, credentials]).apply(([clusterName, creds]) => {
        const { server, ca } = serverAndCa(creds.kubeconfigs[0]?.value ?? '', clusterName);
        return aksKubeconfig({
          clusterName,
          server,
          certificateAuthority: ca,
          ...(args.kubeloginMode ? { loginMode: args.kubeloginMode } : {}),
        });
      }),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      keyVaultId: this.keyVaultId,
      etcdKeyId: this.etcdKeyId,
      controlPlaneIdentityId: this.controlPlaneIdentityId,
      oidcIssuerUrl: this.oidcIssuerUrl,
      logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
    });
  }
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
