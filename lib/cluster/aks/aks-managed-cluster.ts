import type * as containerservice from '@pulumi/azure-native/containerservice';
import type * as pulumi from '@pulumi/pulumi';
import type { NodeGroupConfig } from '../contracts/cloud-contracts';
import { AKS_SYSTEM_POOL } from './aks-config';
import { containerInsightsProfile } from './aks-container-insights';
import { AKS_SYSTEM_POOL_TAINT, hardenedPoolProfile } from './aks-node-pool';

/** What the managed cluster is made of: the parts created before it, and the choices of the team. */
export interface AksManagedClusterParts {
  readonly clusterName: string;
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly tenantId: pulumi.Input<string>;
  /** The user-assigned control-plane identity. */
  readonly identityId: pulumi.Input<string>;
  /** The delegated subnet the API server is projected into. */
  readonly apiServerSubnetId: pulumi.Input<string>;
  /** The etcd key version and the private vault holding it. */
  readonly etcdKeyUri: pulumi.Input<string>;
  readonly keyVaultId: pulumi.Input<string>;
  /** The disk encryption set every node OS disk (and, by default, data disk) is encrypted with. */
  readonly diskEncryptionSetId?: pulumi.Input<string>;
  /** Log shipping on: Container Insights (omsagent) sends container and node logs to this workspace. */
  readonly logShippingWorkspaceId?: pulumi.Input<string>;
  readonly outboundType: 'loadBalancer' | 'userDefinedRouting';
  readonly systemGroup: NodeGroupConfig;
  readonly nodeSubnetId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The managed cluster's arguments with every hardening setting fixed: Entra ID and Azure RBAC only, a private API
 * server in its delegated subnet, KMS etcd encryption with the private vault's key, workload identity, Cilium network
 * policy, automatic patches in the maintenance windows, the Azure Policy add-on, and a system pool for system pods.
 */
export function hardenedManagedClusterArgs(parts: AksManagedClusterParts): containerservice.ManagedClusterArgs {
  return {
    resourceName: parts.clusterName,
    resourceGroupName: parts.resourceGroupName,
    location: parts.region,
    dnsPrefix: parts.clusterName,
    kubernetesVersion: parts.kubernetesVersion,
    sku: { name: 'Base', tier: 'Standard' },
    identity: { type: 'UserAssigned', userAssignedIdentities: [parts.identityId] },
    // Entra ID authentication and Azure RBAC authorization only: no local (certificate) accounts (CIS AKS 5.5.1,
    // 5.5.2).
    enableRBAC: true,
    disableLocalAccounts: true,
    aadProfile: { managed: true, enableAzureRBAC: true, tenantID: parts.tenantId },
    // Private API server in the delegated subnet; no public FQDN; no run command (a way around private access).
    apiServerAccessProfile: {
      enablePrivateCluster: true,
      enablePrivateClusterPublicFQDN: false,
      privateDNSZone: 'system',
      enableVnetIntegration: true,
      subnetId: parts.apiServerSubnetId,
      disableRunCommand: true,
    },
    securityProfile: {
      // Secrets envelope-encrypted by the KMS plugin with the customer-managed key in the private vault.
      azureKeyVaultKms: {
        enabled: true,
        keyId: parts.etcdKeyUri,
        keyVaultNetworkAccess: 'Private',
        keyVaultResourceId: parts.keyVaultId,
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
      outboundType: parts.outboundType,
    },
    // Patches of the configured minor version and node images applied automatically, in the maintenance windows.
    autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
    addonProfiles: {
      azurepolicy: { enabled: true },
      ...(parts.logShippingWorkspaceId !== undefined ? containerInsightsProfile(parts.logShippingWorkspaceId) : {}),
    },
    // The system pool (the one AKS needs at creation) runs system pods only; workloads go to the user pools.
    agentPoolProfiles: [
      {
        ...hardenedPoolProfile(parts.systemGroup, parts.kubernetesVersion, parts.nodeSubnetId),
        mode: 'System',
        nodeTaints: [AKS_SYSTEM_POOL_TAINT],
        nodeLabels: { 'bulwark.dev/node-group': AKS_SYSTEM_POOL },
      },
    ],
    ...(parts.diskEncryptionSetId !== undefined ? { diskEncryptionSetID: parts.diskEncryptionSetId } : {}),
    tags: { ...parts.tags },
  };
}
