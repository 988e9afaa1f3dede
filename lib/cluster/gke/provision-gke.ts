import { ProvisionedCluster } from '../program/provisioned-cluster';
import { GkeClusterConfig } from './gke-config';
import { HardenedGkeCluster } from './hardened-gke-cluster';

/** The GKE cluster of a validated stack config. Loads @pulumi/gcp. */
export function provisionGke(config: GkeClusterConfig): ProvisionedCluster {
  const cluster = new HardenedGkeCluster(config.clusterName, {
    clusterName: config.clusterName,
    project: config.project,
    region: config.region,
    kubernetesVersion: config.kubernetesVersion,
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
    outputs: {
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      kubeconfig: cluster.kubeconfig,
      etcdKeyId: cluster.etcdKeyId,
      workloadPool: cluster.workloadPool,
      nodeServiceAccount: cluster.nodeServiceAccount,
    },
  };
}
