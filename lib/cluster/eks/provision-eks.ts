import { ProvisionedCluster } from '../program/provisioned-cluster';
import { EksClusterConfig } from './eks-config';
import { HardenedEksCluster } from './hardened-eks-cluster';

/** The EKS cluster of a validated stack config. Loads @pulumi/aws. */
export function provisionEks(config: EksClusterConfig): ProvisionedCluster {
  const cluster = new HardenedEksCluster(config.clusterName, {
    clusterName: config.clusterName,
    region: config.region,
    kubernetesVersion: config.kubernetesVersion,
    vpcId: config.vpcId,
    privateSubnetIds: config.privateSubnetIds,
    authorizedNetworks: config.authorizedNetworks,
    adminRoleArns: config.adminRoleArns,
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
      secretsKeyArn: cluster.secretsKeyArn,
      logsKeyArn: cluster.logsKeyArn,
      oidcProviderArn: cluster.oidcProviderArn,
    },
  };
}
