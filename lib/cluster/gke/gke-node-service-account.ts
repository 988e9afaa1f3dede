import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';

/** Roles of the node service account: write logs and metrics, read images. Nothing else (CIS GKE 5.2.1). */
export const GKE_NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
];

/**
 * CIS GKE 5.2.1: a dedicated least-privilege node service account, never the Compute Engine default account (project
 * Editor). Workloads use Workload Identity, not this account.
 */
export class GkeNodeServiceAccount extends BulwarkComponent {
  public readonly email: pulumi.Output<string>;
  public readonly ready: pulumi.Resource[];

  constructor(
    name: string,
    args: { readonly clusterName: string; readonly project: string },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('GkeNodeServiceAccount', name, opts);
    const accountArgs: gcp.serviceaccount.AccountArgs = {
      accountId: `${args.clusterName}-nodes`,
      displayName: `GKE nodes of ${args.clusterName}`,
    };
    const account = new gcp.serviceaccount.Account(name, accountArgs, { parent: this });
    this.ready = GKE_NODE_ROLES.map((role) => {
      const memberArgs: gcp.projects.IAMMemberArgs = {
        project: args.project,
        role,
        member: pulumi.interpolate`serviceAccount:${account.email}`,
      };
      return new gcp.projects.IAMMember(`${name}-${role.replace(/^roles\//, '').replace(/\./g, '-')}`, memberArgs, {
        parent: this,
      });
    });
    this.email = account.email;
    this.registerOutputs({ email: this.email });
  }
}
