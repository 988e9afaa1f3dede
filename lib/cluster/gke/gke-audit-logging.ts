import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';

/** Data Access audit log types of the Kubernetes API; Admin Activity logs are always on and cannot be disabled. */
export const GKE_DATA_ACCESS_LOG_TYPES = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'];
/** Retention of the cluster's log bucket: one year (the `_Default` bucket keeps 30 days). */
export const GKE_LOG_RETENTION_DAYS = 365;

export interface GkeAuditLoggingArgs {
  readonly clusterName: string;
  readonly project: string;
  readonly region: string;
  /** Whether this stack owns the project's Kubernetes Engine audit config (one stack per project does). */
  readonly ownsProjectPolicies: boolean;
}

/**
 * Where the cluster's logs are kept for a year: a regional log bucket with 365 days of retention and a sink routing the
 * cluster's control-plane, audit and workload logs to it (they would otherwise stay 30 days in `_Default`). The
 * Data Access audit config of the Kubernetes Engine API (reads of Secrets, pod logs, exec) is project-wide and
 * authoritative for that service, so only the stack that owns the project's policies creates it; the others rely on
 * it and say so in their config (`projectPolicies: external`).
 */
export class GkeAuditLogging extends BulwarkComponent {
  public readonly bucketId: pulumi.Output<string>;

  constructor(name: string, args: GkeAuditLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('GkeAuditLogging', name, opts);
    const child = { parent: this };
    const bucketArgs: gcp.logging.ProjectBucketConfigArgs = {
      project: args.project,
      location: args.region,
      bucketId: `${args.clusterName}-logs`,
      retentionDays: GKE_LOG_RETENTION_DAYS,
      description: `Logs of GKE cluster ${args.clusterName}, kept ${GKE_LOG_RETENTION_DAYS} days`,
    };
    const bucket = new gcp.logging.ProjectBucketConfig(`${name}-bucket`, bucketArgs, child);
    const sinkArgs: gcp.logging.ProjectSinkArgs = {
      name: `${args.clusterName}-logs`,
      project: args.project,
      destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
      filter:
        `resource.type=("k8s_cluster" OR "k8s_control_plane_component" OR "k8s_node" OR "k8s_container" OR "k8s_pod") ` +
        `AND resource.labels.cluster_name="${args.clusterName}"`,
      uniqueWriterIdentity: true,
    };
    new gcp.logging.ProjectSink(`${name}-sink`, sinkArgs, child);
    if (args.ownsProjectPolicies) {
      const auditArgs: gcp.projects.IAMAuditConfigArgs = {
        project: args.project,
        service: 'container.googleapis.com',
        auditLogConfigs: GKE_DATA_ACCESS_LOG_TYPES.map((logType) => ({ logType })),
      };
      // Kept when the stack is destroyed: another cluster of the project may rely on it.
      new gcp.projects.IAMAuditConfig(`${name}-k8s-data-access`, auditArgs, { ...child, retainOnDelete: true });
    }
    this.bucketId = bucket.id;
    this.registerOutputs({ bucketId: this.bucketId });
  }
}
