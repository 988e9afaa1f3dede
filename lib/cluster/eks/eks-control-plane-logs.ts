import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { policyDocument } from './eks-iam';
import { EksKmsKey } from './eks-secrets-key';

/** Every control-plane log type EKS can send to CloudWatch (CIS EKS 2.1.1 asks for the audit log; bulwark sends all). */
export const EKS_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** CloudWatch retention of the control-plane logs: one year, the usual audit-trail requirement (CIS EKS 2.1.2). */
export const EKS_LOG_RETENTION_DAYS = 365;

export interface EksControlPlaneLogsArgs {
  readonly clusterName: string;
  readonly region: string;
  readonly account: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  /** Other log groups of the cluster the same key may encrypt (the Container Insights groups of log shipping). */
  readonly alsoLogGroups?: readonly string[];
}

/**
 * The log group EKS writes the control-plane logs to, created before the cluster under the name EKS uses, so that EKS
 * does not create its own without encryption and without retention. Encrypted with its own key, which CloudWatch Logs
 * may use for this log group only.
 */
export class EksControlPlaneLogs extends BulwarkComponent {
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: EksControlPlaneLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('EksControlPlaneLogs', name, opts);
    const logGroupName = `/aws/eks/${args.clusterName}/cluster`;
    const key = new EksKmsKey(
      `${name}-key`,
      {
        description: `CloudWatch Logs encryption for ${logGroupName}`,
        policy: pulumi.all([args.account, args.partition]).apply(([acct, part]) =>
          policyDocument([
            {
              Sid: 'AccountAdministers',
              Effect: 'Allow',
              Principal: { AWS: `arn:${part}:iam::${acct}:root` },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Sid: 'CloudWatchLogsUsesForThisLogGroup',
              Effect: 'Allow',
              Principal: { Service: `logs.${args.region}.amazonaws.com` },
              Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
              Resource: '*',
              Condition: {
                ArnEquals: {
                  // One ARN stays a string: the key policy of a stack without log shipping is unchanged.
                  'kms:EncryptionContext:aws:logs:arn': oneOrList(
                    [logGroupName, ...(args.alsoLogGroups ?? [])].map(
                      (group) => `arn:${part}:logs:${args.region}:${acct}:log-group:${group}`,
                    ),
                  ),
                },
              },
            },
          ]),
        ),
      },
      { parent: this },
    );
    const logGroupArgs: aws.cloudwatch.LogGroupArgs = {
      name: logGroupName,
      retentionInDays: EKS_LOG_RETENTION_DAYS,
      kmsKeyId: key.arn,
    };
    this.logGroup = new aws.cloudwatch.LogGroup(name, logGroupArgs, { parent: this });
    this.keyArn = key.arn;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}

function oneOrList(values: readonly string[]): string | readonly string[] {
  return values.length === 1 ? values[0] : values;
}
