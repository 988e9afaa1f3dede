import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { policyDocument } from './eks-iam';

export interface EksClusterRoleArgs {
  readonly partition: pulumi.Input<string>;
  /** The Secrets key: the only KMS key the cluster role may use. */
  readonly secretsKeyArn: pulumi.Input<string>;
}

/** The IAM role of the EKS control plane: AmazonEKSClusterPolicy and the Secrets key, nothing else. */
export class EksClusterRole extends BulwarkComponent {
  public readonly arn: pulumi.Output<string>;
  /** Attachments that must exist before the cluster is created. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: EksClusterRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('EksClusterRole', name, opts);
    const child = { parent: this };
    const roleArgs: aws.iam.RoleArgs = {
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Service: 'eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
      ]),
    };
    const role = new aws.iam.Role(name, roleArgs, child);
    const attachment: aws.iam.RolePolicyAttachmentArgs = {
      role: role.name,
      policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    };
    const clusterPolicy = new aws.iam.RolePolicyAttachment(`${name}-policy`, attachment, child);
    const kmsArgs: aws.iam.RolePolicyArgs = {
      role: role.id,
      policy: pulumi.output(args.secretsKeyArn).apply((arn) =>
        policyDocument([
          {
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
            Resource: arn,
          },
        ]),
      ),
    };
    const kmsPolicy = new aws.iam.RolePolicy(`${name}-kms`, kmsArgs, child);
    this.arn = role.arn;
    this.ready = [clusterPolicy, kmsPolicy];
    this.registerOutputs({ arn: this.arn });
  }
}
