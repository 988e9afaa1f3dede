import * as authorization from '@pulumi/azure-native/authorization';
import * as compute from '@pulumi/azure-native/compute';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { AksRole, roleDefinitionId } from './aks-roles';

/** Server-side encryption of managed disks with the customer-managed key only (no platform key involved). */
export const AKS_DISK_ENCRYPTION_TYPE = 'EncryptionAtRestWithCustomerKey';

export interface AksDiskEncryptionArgs {
  readonly clusterName: string;
  readonly subscriptionId: string;
  readonly region: string;
  readonly resourceGroupName: pulumi.Input<string>;
  /** The cluster's private key vault and, in it, the disk key (by version: the set follows later versions itself). */
  readonly keyVaultId: pulumi.Input<string>;
  readonly diskKeyId: pulumi.Input<string>;
  readonly diskKeyUri: pulumi.Input<string>;
  /** The cluster's control-plane identity, which creates the node OS disks and the volumes of the StorageClass. */
  readonly clusterPrincipalId: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A disk encryption set: node OS disks and every volume of the default StorageClass are encrypted at rest with the
 * customer-managed disk key of the cluster's vault (AKS docs, "Bring your own keys (BYOK) with Azure managed disks").
 * The set follows the key's rotation by itself (rotationToLatestKeyVersionEnabled). Its system-assigned identity (the
 * only kind a new set accepts) may wrap and unwrap with that one key; the cluster identity gets Contributor on the set
 * alone, which AKS needs to create disks with it (the same docs).
 */
export class AksDiskEncryption extends BulwarkComponent {
  public readonly diskEncryptionSetId: pulumi.Output<string>;
  /** Role assignments that must exist before the cluster creates its first node disk. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: AksDiskEncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksDiskEncryption', name, opts);
    const child = { parent: this };
    const setArgs: compute.DiskEncryptionSetArgs = {
      // At most 80 characters; the cluster name is at most 15.
      diskEncryptionSetName: `${args.clusterName}-disks`,
      resourceGroupName: args.resourceGroupName,
      location: args.region,
      identity: { type: 'SystemAssigned' },
      encryptionType: AKS_DISK_ENCRYPTION_TYPE,
      activeKey: { keyUrl: args.diskKeyUri, sourceVault: { id: args.keyVaultId } },
      rotationToLatestKeyVersionEnabled: true,
      tags: { ...args.tags },
    };
    // With rotation on, Azure moves activeKey to each new key version within an hour; a refresh of the key brings the
    // program the same version, so there is nothing to ignore (the type wants a versioned URL either way).
    const set = new compute.DiskEncryptionSet(name, setArgs, child);
    const assign = (
      suffix: string,
      role: AksRole,
      principalId: pulumi.Input<string>,
      scope: pulumi.Input<string>,
      description: string,
    ) => {
      const assignmentArgs: authorization.RoleAssignmentArgs = {
        principalId,
        principalType: 'ServicePrincipal',
        roleDefinitionId: roleDefinitionId(args.subscriptionId, role),
        scope,
        description,
      };
      return new authorization.RoleAssignment(`${name}-${suffix}`, assignmentArgs, child);
    };
    const setPrincipal = set.identity.apply((i) => i?.principalId ?? '');
    this.ready = [
      assign(
        'key-encryption-user',
        'keyVaultCryptoServiceEncryptionUser',
        setPrincipal,
        args.diskKeyId,
        `AKS ${args.clusterName}: disk encryption set wraps disk keys with this key`,
      ),
      assign(
        'cluster-contributor',
        'contributor',
        args.clusterPrincipalId,
        set.id,
        `AKS ${args.clusterName}: node and volume disks encrypted with this set`,
      ),
    ];
    this.diskEncryptionSetId = set.id;
    this.registerOutputs({ diskEncryptionSetId: this.diskEncryptionSetId });
  }
}
