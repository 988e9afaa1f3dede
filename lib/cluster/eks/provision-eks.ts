import type { AddonsConfig } from '../addons/addons-config';
import { ProvisionedCluster } from '../contracts/cloud-contracts';
import { EksClusterConfig } from './eks-config';
import { HardenedEksCluster } from './hardened-eks-cluster';

/** The EKS cluster of a validated stack config. Loads @pulumi/aws. */
export function provisionEks(config: EksClusterConfig & { readonly addons?: AddonsConfig }): ProvisionedCluster {
  const cluster = new HardenedEksCluster(config.clusterName, {
    clusterName: config.clusterName,
    region: config.region,
    kubernetesVersion: config.kubernetesVersion,
    environment: config.environment,
    vpcId: config.vpcId,
    privateSubnetIds: config.privateSubnetIds,
    authorizedNetworks: config.authorizedNetworks,
    adminRoleArns: config.adminRoleArns,
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
      secretsKeyArn: cluster.secretsKeyArn,
      logsKeyArn: cluster.logsKeyArn,
      volumesKeyArn: cluster.volumesKeyArn,
      oidcProviderArn: cluster.oidcProviderArn,
    },
  };
}
