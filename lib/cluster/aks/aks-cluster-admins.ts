import * as authorization from '@pulumi/azure-native/authorization';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent, movedFrom } from '../bulwark-component';
import { AksRole, roleDefinitionId } from './aks-roles';

export interface AksClusterAdminsArgs {
  readonly clusterName: string;
  readonly subscriptionId: string;
  /** The managed cluster's resource id: the scope of every assignment. */
  readonly clusterId: pulumi.Input<string>;
  /** Entra ID groups (never users: membership is managed where people are). */
  readonly adminGroupObjectIds: readonly string[];
}

/**
 * Who administers the cluster: each Entra ID group gets cluster-admin through Azure RBAC for Kubernetes authorization
 * and the right to list the user kubeconfig, both on this cluster only. Local accounts are off, so there is no other
 * way in.
 */
export class AksClusterAdmins extends BulwarkComponent {
  constructor(name: string, args: AksClusterAdminsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksClusterAdmins', name, opts);
    const assign = (resourceName: string, role: AksRole, principalId: string, description: string) => {
      const assignmentArgs: authorization.RoleAssignmentArgs = {
        principalId,
        principalType: 'Group',
        roleDefinitionId: roleDefinitionId(args.subscriptionId, role),
        scope: args.clusterId,
        description,
      };
      // Named as HardenedAksCluster named them before this sub-component existed; only the parent moved.
      new authorization.RoleAssignment(resourceName, assignmentArgs, {
        parent: this,
        aliases: movedFrom(opts?.parent),
      });
    };
    args.adminGroupObjectIds.forEach((groupId, i) => {
      assign(`${name}-${i}`, 'clusterAdmin', groupId, `AKS ${args.clusterName}: administrators`);
      assign(`${name}-${i}-user`, 'clusterUser', groupId, `AKS ${args.clusterName}: kubeconfig`);
    });
    this.registerOutputs({});
  }
}
