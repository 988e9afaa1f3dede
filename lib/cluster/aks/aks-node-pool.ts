import * as containerservice from '@pulumi/azure-native/containerservice';
import type { input } from '@pulumi/azure-native/types';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { NodeGroupConfig } from '../contracts/cloud-contracts';
import { isolatedPoolAksTaint, isolatedPoolLabels } from '../node-pool-taints';

/** The system pool runs system pods only: workloads go to the user and isolated pools. */
export const AKS_SYSTEM_POOL_TAINT = 'CriticalAddonsOnly=true:NoSchedule';

/**
 * The hardened settings of every agent pool, the system pool included: encryption at host (temp disks, caches and OS
 * disks encrypted on the host), no public IP on any node, SSH off, Azure Linux, autoscaling between the configured
 * bounds, nodes in the node subnet.
 */
export function hardenedPoolProfile(
  g: NodeGroupConfig,
  kubernetesVersion: string,
  nodeSubnetId: string,
): input.containerservice.ManagedClusterAgentPoolProfileArgs {
  return {
    name: g.name,
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
    vnetSubnetID: nodeSubnetId,
    enableEncryptionAtHost: true,
    enableNodePublicIP: false,
    securityProfile: { sshAccess: 'Disabled' },
    upgradeSettings: { maxSurge: '33%' },
  };
}

export interface AksNodePoolArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly group: NodeGroupConfig;
  readonly isolated: boolean;
  readonly kubernetesVersion: string;
  readonly nodeSubnetId: string;
}

/** One user agent pool with the hardened profile; an isolated pool is labelled and tainted for its workloads. */
export class AksNodePool extends BulwarkComponent {
  constructor(name: string, args: AksNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksNodePool', name, opts);
    const { group } = args;
    const { name: poolName, ...profile } = hardenedPoolProfile(group, args.kubernetesVersion, args.nodeSubnetId);
    const poolArgs: containerservice.AgentPoolArgs = {
      ...profile,
      agentPoolName: poolName,
      resourceName: args.clusterName,
      resourceGroupName: args.resourceGroupName,
      mode: 'User',
      nodeLabels: { 'bulwark.dev/node-group': group.name, ...(args.isolated ? isolatedPoolLabels(group.name) : {}) },
      // Only pods tolerating the pool's taint are scheduled on an isolated pool (NSA/CISA: separate workloads).
      nodeTaints: args.isolated ? [isolatedPoolAksTaint(group.name)] : [],
    };
    new containerservice.AgentPool(name, poolArgs, {
      parent: this,
      // The cluster autoscaler owns the node count; the node image moves with the node OS upgrade channel.
      ignoreChanges: ['count', 'nodeImageVersion'],
    });
    this.registerOutputs({});
  }
}
