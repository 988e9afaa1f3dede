import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { irsaTrustPolicy, policyDocument } from './eks-iam';
import { EksAddonName, EksVersion } from './eks-versions';

export interface EksAddonsArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly version: EksVersion;
  readonly account: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer without `https://`. */
  readonly issuerHost: pulumi.Input<string>;
  /** The key the EBS CSI driver encrypts volumes with (the default StorageClass names it). */
  readonly volumesKeyArn: pulumi.Input<string>;
}

/**
 * The EKS managed add-ons, each pinned to the version of the cluster's Kubernetes version (eks-versions): the VPC CNI
 * with network policy enforcement, kube-proxy, CoreDNS, the EBS CSI driver (encrypted volumes with the cluster's key)
 * and the Pod Identity agent. The CNI and the CSI driver get their AWS permissions through their own IRSA roles,
 * never through the node role.
 */
export class EksAddons extends BulwarkComponent {
  /** The VPC CNI: nodes join only once it runs. */
  public readonly vpcCni: aws.eks.Addon;
  public readonly addons: readonly aws.eks.Addon[];

  constructor(name: string, args: EksAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('EksAddons', name, opts);
    const child = { parent: this };
    const irsaRole = (suffix: string, namespace: string, account: string, policies: readonly string[]) => {
      const roleArgs: aws.iam.RoleArgs = {
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.issuerHost])
          .apply(([arn, host]) => irsaTrustPolicy(arn, host, namespace, account)),
      };
      const role = new aws.iam.Role(`${name}-${suffix}-role`, roleArgs, child);
      const attachments = policies.map((policy) => {
        const attachmentArgs: aws.iam.RolePolicyAttachmentArgs = {
          role: role.name,
          policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${policy}`,
        };
        return new aws.iam.RolePolicyAttachment(`${name}-${suffix}-${policy}`, attachmentArgs, child);
      });
      return { role, attachments };
    };
    const addon = (
      addonName: EksAddonName,
      extra: Omit<aws.eks.AddonArgs, 'clusterName' | 'addonName' | 'addonVersion'>,
      dependsOn: pulumi.Resource[] = [],
    ) => {
      const addonArgs: aws.eks.AddonArgs = {
        clusterName: args.clusterName,
        addonName,
        addonVersion: args.version.addons[addonName],
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...extra,
      };
      return new aws.eks.Addon(`${name}-${addonName}`, addonArgs, { ...child, dependsOn });
    };

    const cni = irsaRole('vpc-cni', 'kube-system', 'aws-node', ['AmazonEKS_CNI_Policy']);
    // CIS EKS 5.4.4: NetworkPolicy enforced by the VPC CNI's network policy agent; without it the baseline's
    // default-deny policies would be accepted and ignored.
    this.vpcCni = addon(
      'vpc-cni',
      { serviceAccountRoleArn: cni.role.arn, configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }) },
      cni.attachments,
    );

    const ebs = irsaRole('ebs-csi', 'kube-system', 'ebs-csi-controller-sa', ['service-role/AmazonEBSCSIDriverPolicy']);
    // The driver creates volumes encrypted with the cluster's volumes key: it may use that key and no other.
    const ebsKeyArgs: aws.iam.RolePolicyArgs = {
      role: ebs.role.id,
      policy: pulumi.output(args.volumesKeyArn).apply((arn) =>
        policyDocument([
          {
            Effect: 'Allow',
            Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
            Resource: arn,
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          },
          {
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            Resource: arn,
          },
        ]),
      ),
    };
    const ebsKey = new aws.iam.RolePolicy(`${name}-ebs-csi-kms`, ebsKeyArgs, child);

    this.addons = [
      this.vpcCni,
      addon('kube-proxy', {}),
      addon('coredns', {}),
      addon('aws-ebs-csi-driver', { serviceAccountRoleArn: ebs.role.arn }, [...ebs.attachments, ebsKey]),
      addon('eks-pod-identity-agent', {}),
    ];
    this.registerOutputs({});
  }
}
