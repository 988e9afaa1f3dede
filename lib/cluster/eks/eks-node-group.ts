import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { NodeGroupConfig } from '../contracts/cloud-contracts';
import { isolatedPoolLabels, isolatedPoolTaint } from '../node-pool-taints';

export interface EksNodeGroupArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly group: NodeGroupConfig;
  /** Labelled and tainted `bulwark.dev/pool=<name>:NoSchedule` for `isolation: { pool }` workloads. */
  readonly isolated: boolean;
  readonly nodeRoleArn: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Kubernetes minor version of the nodes: the control plane's, so upgrades move both. */
  readonly kubernetesVersion: string;
  readonly description: string;
}

/** Graviton instance families (m7g, c6gn, t4g, ...) need the arm64 AMI. */
export function amiTypeFor(instanceType: string): string {
  return /^[a-z]+\d+g/.test(instanceType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

/**
 * One managed node group and its hardened launch template: IMDSv2 only with hop limit 1 and no instance tags in the
 * metadata, an encrypted gp3 root volume, no SSH key and no remote access, nodes in the private subnets only.
 */
export class EksNodeGroup extends BulwarkComponent {
  public readonly nodeGroup: aws.eks.NodeGroup;

  constructor(name: string, args: EksNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super('EksNodeGroup', name, opts);
    const { group } = args;
    const templateArgs: aws.ec2.LaunchTemplateArgs = {
      description: args.description,
      // IMDSv2 only, and a hop limit of 1 so that pods (one hop further) cannot reach the node's credentials
      // (EKS best practices: restrict access to the instance profile; NSA/CISA: protect node credentials). Instance
      // tags stay out of the metadata service: they often name environments and owners an attacker can use.
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      // Encrypted root volume (EBS encryption with the account's KMS key); /dev/xvda is the AL2023 root device.
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { encrypted: 'true', volumeSize: group.diskSizeGb, volumeType: 'gp3', deleteOnTermination: 'true' },
        },
      ],
      // No keyName: no SSH key pair on the nodes. Use SSM Session Manager when a node must be inspected.
      updateDefaultVersion: true,
    };
    const template = new aws.ec2.LaunchTemplate(`${name}-lt`, templateArgs, { parent: this });
    const labels: Record<string, string> = {
      'bulwark.dev/node-group': group.name,
      ...(args.isolated ? isolatedPoolLabels(group.name) : {}),
    };
    const nodeGroupArgs: aws.eks.NodeGroupArgs = {
      clusterName: args.clusterName,
      // A prefix, not a fixed name: a change EKS can only make by replacing the group (instance type, AMI type)
      // creates the new group before deleting the old one, which a fixed name would collide with.
      nodeGroupNamePrefix: `${group.name}-`,
      nodeRoleArn: args.nodeRoleArn,
      subnetIds: args.subnetIds,
      version: args.kubernetesVersion,
      instanceTypes: [group.machineType],
      amiType: amiTypeFor(group.machineType),
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: group.minCount, maxSize: group.maxCount, desiredSize: group.desiredCount },
      launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
      updateConfig: { maxUnavailable: 1 },
      nodeRepairConfig: { enabled: true },
      labels,
      // Only pods tolerating the pool's taint are scheduled on an isolated pool (NSA/CISA: separate workloads).
      taints: args.isolated ? [isolatedPoolTaint(group.name)] : [],
      // No remoteAccess: managed node groups open SSH (port 22) only when it is set.
    };
    this.nodeGroup = new aws.eks.NodeGroup(name, nodeGroupArgs, {
      parent: this,
      // The cluster autoscaler owns the node count once the group exists; desiredCount is where it starts. Without
      // this every `pulumi up` would scale the group back (EKS best practices, terraform-aws-eks does the same).
      ignoreChanges: ['scalingConfig.desiredSize'],
    });
    this.registerOutputs({});
  }
}
