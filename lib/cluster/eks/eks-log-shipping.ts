import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  CLOUDWATCH_AGENT_ACCOUNT,
  CLOUDWATCH_AGENT_NAMESPACE,
  CLOUDWATCH_OBSERVABILITY_ADDON,
  CONTAINER_INSIGHTS_LOG_KINDS,
  containerInsightsLogGroup,
  LOG_SHIPPING_RETENTION_DAYS,
} from '../addons/log-shipping';
import { BulwarkComponent } from '../bulwark-component';
import { irsaTrustPolicy } from './eks-iam';
import { EksVersion } from './eks-versions';

export interface EksLogShippingArgs {
  readonly clusterName: string;
  /** The cluster's name as its output, so that the add-on waits for the cluster. */
  readonly cluster: pulumi.Input<string>;
  readonly version: EksVersion;
  readonly partition: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer without `https://`. */
  readonly issuerHost: pulumi.Input<string>;
  /** The cluster's logs key (the control-plane log group's), whose policy lets CloudWatch Logs use it for these groups. */
  readonly logsKeyArn: pulumi.Input<string>;
}

/** The Container Insights log group names of a cluster (the logs key's policy must name them before they exist). */
export function eksContainerLogGroups(clusterName: string): string[] {
  return CONTAINER_INSIGHTS_LOG_KINDS.map((kind) => containerInsightsLogGroup(clusterName, kind));
}

/**
 * Log shipping (bulwark:addons.log-shipping) on EKS: the `amazon-cloudwatch-observability` managed add-on, pinned per
 * Kubernetes version, sends container and node logs to CloudWatch. Why the managed add-on and not a Fluent Bit
 * DaemonSet of ours: EKS installs, patches and upgrades it, and its host access is EKS's to maintain, not a grant of
 * ours. Its agent gets CloudWatchAgentServerPolicy through its own IRSA role (never through the node role), and the
 * Container Insights log groups are created here first, kept as long as the audit logs and encrypted with the cluster's
 * logs key: otherwise Fluent Bit creates them itself, unencrypted and kept forever.
 */
export class EksLogShipping extends BulwarkComponent {
  public readonly addon: aws.eks.Addon;
  public readonly logGroups: readonly aws.cloudwatch.LogGroup[];

  constructor(name: string, args: EksLogShippingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('EksLogShipping', name, opts);
    const child = { parent: this };
    this.logGroups = eksContainerLogGroups(args.clusterName).map((logGroupName) => {
      const groupArgs: aws.cloudwatch.LogGroupArgs = {
        name: logGroupName,
        retentionInDays: LOG_SHIPPING_RETENTION_DAYS,
        kmsKeyId: args.logsKeyArn,
      };
      return new aws.cloudwatch.LogGroup(`${name}-${logGroupName.split('/').pop()}`, groupArgs, child);
    });
    const roleArgs: aws.iam.RoleArgs = {
      assumeRolePolicy: pulumi
        .all([args.oidcProviderArn, args.issuerHost])
        .apply(([arn, host]) => irsaTrustPolicy(arn, host, CLOUDWATCH_AGENT_NAMESPACE, CLOUDWATCH_AGENT_ACCOUNT)),
    };
    const role = new aws.iam.Role(`${name}-agent-role`, roleArgs, child);
    const attachmentArgs: aws.iam.RolePolicyAttachmentArgs = {
      role: role.name,
      policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/CloudWatchAgentServerPolicy`,
    };
    const attachment = new aws.iam.RolePolicyAttachment(`${name}-agent-policy`, attachmentArgs, child);
    const addonArgs: aws.eks.AddonArgs = {
      clusterName: args.cluster,
      addonName: CLOUDWATCH_OBSERVABILITY_ADDON,
      addonVersion: args.version.optionalAddons[CLOUDWATCH_OBSERVABILITY_ADDON],
      serviceAccountRoleArn: role.arn,
      // Container logs on (the add-on's default, stated so that the plan shows it and a change is reviewed).
      configurationValues: JSON.stringify({ containerLogs: { enabled: true } }),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
    };
    this.addon = new aws.eks.Addon(`${name}-addon`, addonArgs, {
      ...child,
      dependsOn: [...this.logGroups, attachment],
    });
    this.registerOutputs({ logGroups: this.logGroups.map((g) => g.name) });
  }
}
