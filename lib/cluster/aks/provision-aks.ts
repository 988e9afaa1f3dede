import type { AddonsConfig } from '../addons/addons-config';
import { ProvisionedCluster } from '../contracts/cloud-contracts';
import { AksClusterConfig } from './aks-config';
import { HardenedAksCluster } from './hardened-aks-cluster';

/** The AKS cluster of a validated stack config. Loads the @pulumi/azure-native sub-modules it uses. */
export function provisionAks(config: AksClusterConfig & { readonly addons?: AddonsConfig }): ProvisionedCluster {
  const cluster = new HardenedAksCluster(config.clusterName, {
    clusterName: config.clusterName,
    subscriptionId: config.subscriptionId,
    region: config.region,
    kubernetesVersion: config.kubernetesVersion,
    environment: config.environment,
    maintenanceWindow: config.maintenanceWindow,
    outboundType: config.outboundType,
    kubeloginMode: config.kubeloginMode,
    ...(config.keyVaultDnsZoneId !== undefined ? { keyVaultDnsZoneId: config.keyVaultDnsZoneId } : {}),
    baselineApply: config.baselineApply,
    ...(config.gitops !== undefined ? { gitops: config.gitops } : {}),
    nodeSubnetId: config.nodeSubnetId,
    apiServerSubnetCidr: config.apiServerSubnetCidr,
    authorizedNetworks: config.authorizedNetworks,
    adminGroupObjectIds: config.adminGroupObjectIds,
    nodeGroups: config.nodeGroups,
    isolatedPools: config.isolatedPools,
    logShipping: config.addons?.logShipping !== undefined,
  });
  return {
    component: cluster,
    kubeconfig: cluster.kubeconfig,
    storageClass: cluster.storageClass,
    outputs: {
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      kubeconfig: cluster.kubeconfig,
      keyVaultId: cluster.keyVaultId,
      etcdKeyId: cluster.etcdKeyId,
      controlPlaneIdentityId: cluster.controlPlaneIdentityId,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      logAnalyticsWorkspaceId: cluster.logAnalyticsWorkspaceId,
      diskEncryptionSetId: cluster.diskEncryptionSetId,
    },
  };
}
