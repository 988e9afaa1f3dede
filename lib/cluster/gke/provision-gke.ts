import { ProvisionedCluster } from '../contracts/cloud-contracts';
import { GkeClusterConfig } from './gke-config';
import { HardenedGkeCluster } from './hardened-gke-cluster';

/** The GKE cluster of a validated stack config. Loads @pulumi/gcp. */
export function provisionGke(config: GkeClusterConfig): ProvisionedCluster {
  const cluster = new HardenedGkeCluster(config.clusterName, {
    clusterName: config.clusterName,
    project: config.project,
    region: config.region,
    kubernetesVersion: config.kubernetesVersion,
    environment: config.environment,
    maintenanceWindow: config.maintenanceWindow,
    projectPolicies: config.projectPolicies,
    baselineApply: config.baselineApply,
    network: config.network,
    subnetwork: config.subnetwork,
    podsRangeName: config.podsRangeName,
    servicesRangeName: config.servicesRangeName,
    masterCidr: config.masterCidr,
    authorizedNetworks: config.authorizedNetworks,
    nodeGroups: config.nodeGroups,
    isolatedPools: config.isolatedPools,
  });
  return {
    component: cluster,
    kubeconfig: cluster.kubeconfig,
    storageClass: cluster.storageClass,
    outputs: {
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      kubeconfig: cluster.kubeconfig,
      etcdKeyId: cluster.etcdKeyId,
      volumesKeyId: cluster.volumesKeyId,
      logBucketId: cluster.logBucketId,
      workloadPool: cluster.workloadPool,
      nodeServiceAccount: cluster.nodeServiceAccount,
    },
  };
}
