import * as authorization from '@pulumi/azure-native/authorization';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent, movedFrom } from '../bulwark-component';
import { roleDefinitionId } from './aks-roles';

export interface AksControlPlaneIdentityArgs {
  readonly clusterName: string;
  readonly subscriptionId: string;
  readonly region: string;
  readonly resourceGroupName: pulumi.Input<string>;
  /** The node subnet the identity joins the nodes into (and, with user-defined routing, whose route table it uses). */
  readonly nodeSubnetId: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The name prefix HardenedAksCluster gave these resources when it created them itself (before this sub-component
   * existed); with it their URNs are aliased, so existing stacks keep them.
   */
  readonly formerNamePrefix?: string;
}

/**
 * The cluster's control-plane identity: user-assigned, because KMS etcd encryption needs its key permissions before the
 * cluster exists and a system-assigned identity exists only after (AKS KMS limitations). It holds Network Contributor
 * on the node subnet; the key vault, the API server subnet and the disk encryption set grant it their own roles.
 */
export class AksControlPlaneIdentity extends BulwarkComponent {
  public readonly id: pulumi.Output<string>;
  public readonly principalId: pulumi.Output<string>;
  /** Role assignments that must exist before the cluster. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: AksControlPlaneIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksControlPlaneIdentity', name, opts);
    const identityArgs: managedidentity.UserAssignedIdentityArgs = {
      resourceName: `${args.clusterName}-control-plane`,
      resourceGroupName: args.resourceGroupName,
      location: args.region,
      tags: { ...args.tags },
    };
    const identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, identityArgs, {
      parent: this,
      aliases: movedFrom(opts?.parent),
    });
    const nodeSubnetArgs: authorization.RoleAssignmentArgs = {
      principalId: identity.principalId,
      principalType: 'ServicePrincipal',
      roleDefinitionId: roleDefinitionId(args.subscriptionId, 'networkContributor'),
      scope: args.nodeSubnetId,
      description: `AKS ${args.clusterName}: nodes in the node subnet`,
    };
    const formerName =
      args.formerNamePrefix !== undefined ? `${args.formerNamePrefix}-node-subnet-network-contributor` : undefined;
    const nodeSubnetRole = new authorization.RoleAssignment(`${name}-node-subnet-network-contributor`, nodeSubnetArgs, {
      parent: this,
      aliases: movedFrom(opts?.parent, formerName),
    });
    this.id = identity.id;
    this.principalId = identity.principalId;
    this.ready = [nodeSubnetRole];
    this.registerOutputs({ id: this.id, principalId: this.principalId });
  }
}
