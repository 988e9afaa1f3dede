import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { NodeGroupConfig } from '../contracts/cloud-contracts';
import { isolatedPoolLabels, isolatedPoolTaint } from '../node-pool-taints';

/** The hardened node settings every pool (and the short-lived default pool) gets. */
export function hardenedNodeConfig(
  group: Pick<NodeGroupConfig, 'machineType' | 'diskSizeGb' | 'name'>,
  serviceAccount: pulumi.Input<string>,
  bootDiskKmsKey: pulumi.Input<string>,
): gcp.types.input.container.NodePoolNodeConfig {
  return {
    machineType: group.machineType,
    diskSizeGb: group.diskSizeGb,
    diskType: 'pd-balanced',
    // CIS GKE 5.9.2: boot disks encrypted with the cluster's volumes key.
    bootDiskKmsKey,
    // CIS GKE 5.5.1: Container-Optimized OS: read-only root, minimal packages, updated by Google.
    imageType: 'COS_CONTAINERD',
    serviceAccount,
    oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    // CIS GKE 5.5.5-5.5.7: shielded nodes with secure boot and integrity monitoring.
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    // CIS GKE 5.4.1 / 5.2.2: the GKE metadata server hides the node's credentials and instance metadata from pods.
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    // The legacy (v0.1 / v1beta1) metadata endpoints, which answer without the Metadata-Flavor header, stay off.
    metadata: { 'disable-legacy-endpoints': 'true' },
    labels: { 'bulwark-node-group': group.name },
  };
}

export interface GkeNodePoolArgs {
  readonly cluster: pulumi.Input<string>;
  readonly region: string;
  readonly group: NodeGroupConfig;
  readonly isolated: boolean;
  readonly serviceAccount: pulumi.Input<string>;
  readonly bootDiskKmsKey: pulumi.Input<string>;
}

/** One regional node pool, autoscaled, auto-repaired and auto-upgraded, with the hardened node settings. */
export class GkeNodePool extends BulwarkComponent {
  constructor(name: string, args: GkeNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('GkeNodePool', name, opts);
    const { group } = args;
    const node = hardenedNodeConfig(group, args.serviceAccount, args.bootDiskKmsKey);
    const nodeConfig: gcp.types.input.container.NodePoolNodeConfig = args.isolated
      ? {
          ...node,
          labels: { 'bulwark-node-group': group.name, ...isolatedPoolLabels(group.name) },
          // Only pods tolerating the pool's taint are scheduled here (NSA/CISA: separate sensitive workloads).
          taints: [isolatedPoolTaint(group.name)],
        }
      : node;
    const poolArgs: gcp.container.NodePoolArgs = {
      // A prefix, not a fixed name: a change GKE makes by replacing the pool (machine type, disk) creates the new pool
      // before deleting the old one, which a fixed name would collide with.
      namePrefix: `${group.name}-`,
      cluster: args.cluster,
      location: args.region,
      // Per zone, for the first nodes only (a regional pool spans three zones); the autoscaler owns the count after.
      initialNodeCount: Math.max(1, Math.ceil(group.desiredCount / 3)),
      autoscaling: { totalMinNodeCount: group.minCount, totalMaxNodeCount: group.maxCount, locationPolicy: 'BALANCED' },
      // CIS GKE 5.5.2 / 5.5.3: nodes repaired and upgraded automatically (inside the cluster's maintenance window).
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      nodeConfig,
    };
    new gcp.container.NodePool(name, poolArgs, {
      parent: this,
      // initialNodeCount forces a new pool when changed and means nothing after creation (the autoscaler owns the
      // size); the node version moves with the release channel, not with this program.
      ignoreChanges: ['initialNodeCount', 'version', 'nodeCount'],
    });
    this.registerOutputs({});
  }
}
