import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';

export interface EksKmsKeyArgs {
  /** What the key encrypts, e.g. `EKS secrets envelope encryption for payments-prod`. */
  readonly description: string;
  /** Key policy; the account default (IAM policies decide) when not given. */
  readonly policy?: pulumi.Input<string>;
}

/**
 * A customer-managed KMS key that rotates yearly and waits 30 days before deletion (a deleted key makes everything it
 * encrypted unreadable, so the window is the longest KMS allows). Used for Secrets, control-plane logs and volumes.
 */
export class EksKmsKey extends BulwarkComponent {
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: EksKmsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('EksKmsKey', name, opts);
    const keyArgs: aws.kms.KeyArgs = {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      ...(args.policy !== undefined ? { policy: args.policy } : {}),
    };
    const key = new aws.kms.Key(name, keyArgs, { parent: this });
    this.arn = key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
