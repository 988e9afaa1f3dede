import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { policyDocument } from './eks-iam';

/** The node role: join the cluster and pull images. No AmazonEKS_CNI_Policy: the CNI has its own IRSA role. */
export const EKS_NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly'];

export class EksNodeRole extends BulwarkComponent {
  public readonly arn: pulumi.Output<string>;
  public readonly ready: pulumi.Resource[];

  constructor(
    name: string,
    args: { readonly partition: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('EksNodeRole', name, opts);
    const roleArgs: aws.iam.RoleArgs = {
      assumeRolePolicy: policyDocument([
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]),
    };
    const role = new aws.iam.Role(name, roleArgs, { parent: this });
    this.ready = EKS_NODE_POLICIES.map((policy) => {
      const attachmentArgs: aws.iam.RolePolicyAttachmentArgs = {
        role: role.name,
        policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${policy}`,
      };
      return new aws.iam.RolePolicyAttachment(`${name}-${policy}`, attachmentArgs, { parent: this });
    });
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
