// Sub-modules only: the root of @pulumi/azure-native loads every Azure service (136 MB).
import * as authorization from '@pulumi/azure-native/authorization';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as monitor from '@pulumi/azure-native/monitor';
import * as network from '@pulumi/azure-native/network';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import * as privatedns from '@pulumi/azure-native/privatedns';
import { Provider } from '@pulumi/azure-native/provider';
import * as resources from '@pulumi/azure-native/resources';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { cidrsOverlap, parseIpv4Cidr } from '../config/cidr';
import { NodeGroupConfig } from '../config/common-config';
import { isolatedPoolAksTaint, isolatedPoolLabels } from '../node-pool-taints';
import { AKS_SYSTEM_POOL, parseSubnetId } from './aks-config';
import { aksKubeconfig, serverAndCa } from './aks-kubeconfig';
import { AksRole, roleDefinitionId } from './aks-roles';

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
}

/** Kubernetes audit logs and Entra ID (guard) authentication logs; kube-audit-admin is the write-only subset. */
export const AKS_AUDIT_LOG_CATEGORIES = ['kube-audit', 'kube-audit-admin', 'guard'];
/** Log Analytics retention of the audit logs: one year, the usual audit-trail requirement. */
export const AKS_LOG_RETENTION_DAYS = 365;
/** New version of the etcd key every 90 days (ISO 8601). */
export const AKS_KEY_ROTATION = 'P90D';
/** The system pool runs system pods only: workloads go to the user and isolated pools. */
export const AKS_SYSTEM_POOL_TAINT = 'CriticalAddonsOnly=true:NoSchedule';
/** Private DNS zone of Key Vault private endpoints in the public cloud. */
export const KEY_VAULT_PRIVATE_DNS_ZONE = 'privatelink.vaultcore.azure.net';

/**
 * A hardened Azure Kubernetes Service cluster from plain `@pulumi/azure-native` resources:
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
    const tags = { 'bulwark-cluster': args.clusterName, 'managed-by': 'bulwark' };
    const tenantId = authorization.getClientConfigOutput(child).tenantId;
    const role = (role: AksRole) => roleDefinitionId(args.subscriptionId, role);

    const group = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: `${args.clusterName}-rg`, location: args.region, tags },
      child,
    );
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
    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-control-plane-identity`,
      { resourceName: `${args.clusterName}-control-plane`, resourceGroupName: rg, location: args.region, tags },
      child,
    );
    const assign = (
      suffix: string,
      definition: AksRole,
      scope: pulumi.Input<string>,
      principalId: pulumi.Input<string>,
      principalType: 'ServicePrincipal' | 'Group',
      description: string,
      dependsOn: pulumi.Resource[] = [],
    ) =>
      new authorization.RoleAssignment(
        `${name}-${suffix}`,
        { principalId, principalType, roleDefinitionId: role(definition), scope, description },
        { ...child, dependsOn },
      );

    const workspace = new operationalinsights.Workspace(
      `${name}-logs`,
      {
        workspaceName: `${args.clusterName}-logs`,
        resourceGroupName: rg,
        location: args.region,
        sku: { name: 'PerGB2018' },
        retentionInDays: AKS_LOG_RETENTION_DAYS,
        tags,
      },
      child,
    );

    // The API server is projected into a delegated subnet (API Server VNet Integration, which KMS with a private key
    // vault requires). Its NSG admits the nodes (443, 4443), the Azure load balancer probe (9988, AKS docs) and the
    // authorized networks on 443, and denies the API ports to everything else in or peered with the VNet.
    const apiServerNsg = new network.NetworkSecurityGroup(
      `${name}-apiserver-nsg`,
      {
        networkSecurityGroupName: `${args.clusterName}-apiserver`,
        resourceGroupName: rg,
        location: args.region,
        securityRules: nodeSubnetPrefix.apply((nodes) => [
          apiRule('allow-nodes', 100, 'Allow', nodes, ['443', '4443'], args.apiServerSubnetCidr),
          apiRule('allow-azure-lb-probe', 110, 'Allow', 'AzureLoadBalancer', ['9988'], args.apiServerSubnetCidr),
          ...args.authorizedNetworks.map((cidr, i) =>
            apiRule(`allow-authorized-${i}`, 200 + i, 'Allow', cidr, ['443'], args.apiServerSubnetCidr),
          ),
          apiRule('deny-other', 4000, 'Deny', '*', ['443', '4443'], args.apiServerSubnetCidr),
        ]),
        tags,
      },
      child,
    );
    const apiServerSubnet = new network.Subnet(
      `${name}-apiserver-subnet`,
      {
        subnetName: `${args.clusterName}-apiserver`,
        resourceGroupName: nodeSubnet.resourceGroupName,
        virtualNetworkName: nodeSubnet.virtualNetworkName,
        addressPrefix: args.apiServerSubnetCidr,
        delegations: [{ name: 'aks-apiserver', serviceName: 'Microsoft.ContainerService/managedClusters' }],
        networkSecurityGroup: { id: apiServerNsg.id },
      },
      child,
    );
    // The cluster identity joins the API server into its subnet and the nodes into theirs (AKS docs: lacking it on
    // the API server subnet fails provisioning).
    const networkRoles = [
      assign(
        'apiserver-subnet-network-contributor',
        'networkContributor',
        apiServerSubnet.id,
        identity.principalId,
        'ServicePrincipal',
        `AKS ${args.clusterName}: API server VNet integration`,
      ),
      assign(
        'node-subnet-network-contributor',
        'networkContributor',
        args.nodeSubnetId,
        identity.principalId,
        'ServicePrincipal',
        `AKS ${args.clusterName}: nodes in the node subnet`,
      ),
    ];

    // The etcd key lives in a private vault: no public network access, RBAC data-plane authorization, soft delete for
    // 90 days and purge protection (a deleted key would make every Secret unreadable; AKS docs).
    const vault = new keyvault.Vault(
      `${name}-kms-vault`,
      {
        vaultName: `${args.clusterName}-kms`,
        resourceGroupName: rg,
        location: args.region,
        properties: {
          tenantId,
          sku: { family: 'A', name: 'standard' },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
          enablePurgeProtection: true,
          publicNetworkAccess: 'Disabled',
          networkAcls: { defaultAction: 'Deny', bypass: 'None' },
          enabledForDeployment: false,
          enabledForDiskEncryption: false,
          enabledForTemplateDeployment: false,
        },
        tags,
      },
      child,
    );
    // Keys of a private vault can be created only through a private endpoint (AKS docs), so the endpoint, its DNS zone
    // and the zone's link to the VNet come first. AKS adds its own endpoint for the KMS plugin in the node group.
    const vaultDns = new privatedns.PrivateZone(
      `${name}-kv-dns`,
      { privateZoneName: KEY_VAULT_PRIVATE_DNS_ZONE, resourceGroupName: rg, location: 'global', tags },
      child,
    );
    const vaultDnsLink = new privatedns.VirtualNetworkLink(
      `${name}-kv-dns-link`,
      {
        virtualNetworkLinkName: `${args.clusterName}-vnet`,
        privateZoneName: vaultDns.name,
        resourceGroupName: rg,
        location: 'global',
        virtualNetwork: { id: nodeSubnet.virtualNetworkId },
        registrationEnabled: false,
        tags,
      },
      child,
    );
    const vaultEndpoint = new network.PrivateEndpoint(
      `${name}-kv-endpoint`,
      {
        privateEndpointName: `${args.clusterName}-kms-vault`,
        resourceGroupName: rg,
        location: args.region,
        subnet: { id: args.nodeSubnetId },
        privateLinkServiceConnections: [{ name: 'vault', privateLinkServiceId: vault.id, groupIds: ['vault'] }],
        tags,
      },
      child,
    );
    const vaultEndpointDns = new network.PrivateDnsZoneGroup(
      `${name}-kv-endpoint-dns`,
      {
        privateDnsZoneGroupName: 'vault',
        privateEndpointName: vaultEndpoint.name,
        resourceGroupName: rg,
        privateDnsZoneConfigs: [{ name: 'vault', privateDnsZoneId: vaultDns.id }],
      },
      child,
    );
    // A new key version every 90 days; versions do not expire, because the KMS plugin keeps decrypting with the
    // version it was given until the cluster's keyId moves to the new one (pulumi up after a refresh picks it up).
    const etcdKey = new keyvault.Key(
      `${name}-etcd-key`,
      {
        keyName: 'etcd-kms',
        vaultName: vault.name,
        resourceGroupName: rg,
        properties: {
          kty: 'RSA',
          keySize: 2048,
          keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
          attributes: { enabled: true },
          rotationPolicy: {
            lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeAfterCreate: AKS_KEY_ROTATION } }],
          },
        },
        tags,
      },
      { ...child, dependsOn: [vaultEndpoint, vaultEndpointDns, vaultDnsLink] },
    );
    // The KMS plugin encrypts and decrypts with this key only (Crypto User on the key, not the vault); AKS creates its
    // private link to the vault with Key Vault Contributor (AKS docs, private key vault).
    const kmsRoles = [
      assign(
        'etcd-key-crypto-user',
        'keyVaultCryptoUser',
        etcdKey.id,
        identity.principalId,
        'ServicePrincipal',
        `AKS ${args.clusterName}: KMS plugin encrypts etcd with this key`,
      ),
      assign(
        'kms-vault-contributor',
        'keyVaultContributor',
        vault.id,
        identity.principalId,
        'ServicePrincipal',
        `AKS ${args.clusterName}: private link from the KMS plugin to the vault`,
      ),
    ];
    // Who reads or uses the key is audited in the same workspace.
    new monitor.DiagnosticSetting(
      `${name}-kms-vault-audit`,
      {
        name: 'bulwark-audit',
        resourceUri: vault.id,
        workspaceId: workspace.id,
        logs: [{ categoryGroup: 'audit', enabled: true }],
      },
      child,
    );

    const kubernetesVersion = args.kubernetesVersion;
    const poolProfile = (g: NodeGroupConfig) => ({
      vmSize: g.machineType,
      count: g.desiredCount,
      minCount: g.minCount,
      maxCount: g.maxCount,
      enableAutoScaling: true,
      orchestratorVersion: kubernetesVersion,
      type: 'VirtualMachineScaleSets',
      osType: 'Linux',
      osSKU: 'AzureLinux',
      osDiskSizeGB: g.diskSizeGb,
      osDiskType: 'Managed',
      vnetSubnetID: args.nodeSubnetId,
      // Temp disks, caches and OS disks encrypted on the host; no public IP on any node; SSH off on the nodes.
      enableEncryptionAtHost: true,
      enableNodePublicIP: false,
      securityProfile: { sshAccess: 'Disabled' },
      upgradeSettings: { maxSurge: '33%' },
    });

    const cluster = new containerservice.ManagedCluster(
      `${name}-cluster`,
      {
        resourceName: args.clusterName,
        resourceGroupName: rg,
        location: args.region,
        dnsPrefix: args.clusterName,
        kubernetesVersion,
        sku: { name: 'Base', tier: 'Standard' },
        identity: { type: 'UserAssigned', userAssignedIdentities: [identity.id] },
        // Entra ID authentication and Azure RBAC authorization only: no local (certificate) accounts.
        enableRBAC: true,
        disableLocalAccounts: true,
        aadProfile: { managed: true, enableAzureRBAC: true, tenantID: tenantId },
        // Private API server in the delegated subnet; no public FQDN; no run command (a way around private access).
        apiServerAccessProfile: {
          enablePrivateCluster: true,
          enablePrivateClusterPublicFQDN: false,
          privateDNSZone: 'system',
          enableVnetIntegration: true,
          subnetId: apiServerSubnet.id,
          disableRunCommand: true,
        },
        securityProfile: {
          // Secrets envelope-encrypted by the KMS plugin with the customer-managed key in the private vault.
          azureKeyVaultKms: {
            enabled: true,
            keyId: etcdKey.keyUriWithVersion,
            keyVaultNetworkAccess: 'Private',
            keyVaultResourceId: vault.id,
          },
          workloadIdentity: { enabled: true },
        },
        oidcIssuerProfile: { enabled: true },
        // Cilium enforces NetworkPolicy, so the baseline's default-deny policies apply.
        networkProfile: {
          networkPlugin: 'azure',
          networkPluginMode: 'overlay',
          networkDataplane: 'cilium',
          networkPolicy: 'cilium',
          loadBalancerSku: 'standard',
        },
        // Patches of the configured minor version and node images applied automatically.
        autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
        addonProfiles: { azurepolicy: { enabled: true } },
        // The system pool (the one AKS needs at creation) runs system pods only; workloads go to the pools below.
        agentPoolProfiles: [
          {
            name: AKS_SYSTEM_POOL,
            mode: 'System',
            ...poolProfile(systemGroup),
            nodeTaints: [AKS_SYSTEM_POOL_TAINT],
            nodeLabels: { 'bulwark.dev/node-group': AKS_SYSTEM_POOL },
          },
        ],
        tags,
      },
      // Every permission the identity needs exists before the cluster: KMS cannot be turned on without them.
      { ...child, dependsOn: [...networkRoles, ...kmsRoles] },
    );

    new monitor.DiagnosticSetting(
      `${name}-audit-logs`,
      {
        name: 'bulwark-audit',
        resourceUri: cluster.id,
        workspaceId: workspace.id,
        logAnalyticsDestinationType: 'Dedicated',
        logs: AKS_AUDIT_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
      },
      child,
    );

    const pools = [
      ...args.nodeGroups.filter((g) => g !== systemGroup).map((g) => ({ g, isolated: false })),
      ...(args.isolatedPools ?? []).map((g) => ({ g, isolated: true })),
    ];
    for (const { g, isolated } of pools) {
      new containerservice.AgentPool(
        `${name}-${g.name}`,
        {
          agentPoolName: g.name,
          resourceName: cluster.name,
          resourceGroupName: rg,
          mode: 'User',
          ...poolProfile(g),
          nodeLabels: { 'bulwark.dev/node-group': g.name, ...(isolated ? isolatedPoolLabels(g.name) : {}) },
          // Only pods tolerating the pool's taint are scheduled on an isolated pool (NSA/CISA: separate workloads).
          ...(isolated ? { nodeTaints: [isolatedPoolAksTaint(g.name)] } : {}),
        },
        child,
      );
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
    this.keyVaultId = vault.id;
    this.etcdKeyId = etcdKey.keyUriWithVersion;
    this.controlPlaneIdentityId = identity.id;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? '');
    this.logAnalyticsWorkspaceId = workspace.id;
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, credentials]).apply(([clusterName, creds]) => {
        const { server, ca } = serverAndCa(creds.kubeconfigs[0]?.value ?? '', clusterName);
        return aksKubeconfig({ clusterName, server, certificateAuthority: ca });
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

/** One inbound rule of the API server subnet's NSG. */
function apiRule(
  name: string,
  priority: number,
  access: 'Allow' | 'Deny',
  source: string,
  ports: readonly string[],
  destination: string,
) {
  return {
    name,
    priority,
    access,
    direction: 'Inbound',
    protocol: 'Tcp',
    sourceAddressPrefix: source,
    sourcePortRange: '*',
    destinationAddressPrefix: destination,
    destinationPortRanges: [...ports],
  };
}

/** The node subnet's address range, after checking that AKS can use it next to the API server subnet. */
function checkNodeSubnet(
  name: string,
  args: HardenedAksClusterArgs,
  subnet: { addressPrefix?: string; addressPrefixes?: string[]; delegations?: { serviceName?: string }[] },
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
  const api = parseIpv4Cidr(args.apiServerSubnetCidr);
  if (api !== undefined && cidrsOverlap(api, cidr)) {
    throw new Error(
      `HardenedAksCluster '${name}': apiServerSubnetCidr ${args.apiServerSubnetCidr} overlaps the node subnet ` +
        `${prefix}. Allowed: a free range of the VNet outside every subnet. Fix: pick another /28 of the VNet.`,
    );
  }
  return prefix;
}
