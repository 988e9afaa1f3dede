import * as authorization from '@pulumi/azure-native/authorization';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as monitor from '@pulumi/azure-native/monitor';
import * as network from '@pulumi/azure-native/network';
import * as privatedns from '@pulumi/azure-native/privatedns';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { nameSuffix } from '../name-suffix';
import type { SubnetRef } from './aks-config';
import { AksRole, roleDefinitionId } from './aks-roles';

/** New version of the etcd key every 90 days (ISO 8601). */
export const AKS_KEY_ROTATION = 'P90D';
/** Private DNS zone of Key Vault private endpoints in the public cloud. */
export const KEY_VAULT_PRIVATE_DNS_ZONE = 'privatelink.vaultcore.azure.net';

export interface AksKeyVaultArgs {
  readonly clusterName: string;
  readonly subscriptionId: string;
  readonly region: string;
  readonly tenantId: pulumi.Input<string>;
  readonly resourceGroupName: pulumi.Input<string>;
  /** The node subnet: the vault's private endpoint goes there. */
  readonly nodeSubnetId: string;
  readonly nodeSubnet: SubnetRef;
  /** An existing (hub-owned) privatelink.vaultcore.azure.net zone; without it one is created and linked. */
  readonly privateDnsZoneId?: string;
  /** The KMS plugin's identity. */
  readonly identityPrincipalId: pulumi.Input<string>;
  /** The Log Analytics workspace that audits key use. */
  readonly workspaceId: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The private key vault of the etcd key: no public network access, RBAC data-plane authorization, soft delete for 90
 * days and purge protection (a deleted key would make every Secret unreadable; AKS docs), reached through a private
 * endpoint, its use audited. A soft-deleted vault keeps its name for 90 days, so the name carries a random suffix kept
 * in the stack's state: a destroyed and recreated stack gets a new vault instead of failing on the old name.
 */
export class AksKeyVault extends BulwarkComponent {
  public readonly vaultId: pulumi.Output<string>;
  /** The etcd key version the KMS plugin uses. */
  public readonly etcdKeyUri: pulumi.Output<string>;
  /** The disk key (by version, as a disk encryption set takes it) and its resource id. */
  public readonly diskKeyUri: pulumi.Output<string>;
  public readonly diskKeyId: pulumi.Output<string>;
  /** Role assignments that must exist before the cluster turns KMS on. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: AksKeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksKeyVault', name, opts);
    const child = { parent: this };
    const tags = { ...args.tags };
    const suffix = nameSuffix(`${name}-suffix`, 2, child);
    const vaultArgs: keyvault.VaultArgs = {
      // At most 24 characters: the cluster name (at most 15) and a 4-character suffix.
      vaultName: pulumi.interpolate`${args.clusterName}-kms-${suffix}`,
      resourceGroupName: args.resourceGroupName,
      location: args.region,
      properties: {
        tenantId: args.tenantId,
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: true,
        publicNetworkAccess: 'Disabled',
        // Nothing reaches the vault from a network but its private endpoint. Trusted Azure services may pass: Azure
        // Disk Storage reaches the disk key that way for the disk encryption set (Key Vault docs, trusted services:
        // "Azure Disk Storage, when configured with a DES"), and only principals holding a role on a key can use it.
        networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' },
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
      },
      tags,
    };
    const vault = new keyvault.Vault(name, vaultArgs, child);

    // Keys of a private vault can be created only through a private endpoint (AKS docs), so the endpoint and its DNS
    // come first. A hub usually owns the privatelink zone (one per network, linked to every spoke): given its id, the
    // vault registers there; otherwise the cluster creates a zone of its own and links it to the node VNet.
    const dnsReady: pulumi.Resource[] = [];
    let zoneId: pulumi.Input<string>;
    if (args.privateDnsZoneId !== undefined) {
      zoneId = args.privateDnsZoneId;
    } else {
      const zoneArgs: privatedns.PrivateZoneArgs = {
        privateZoneName: KEY_VAULT_PRIVATE_DNS_ZONE,
        resourceGroupName: args.resourceGroupName,
        location: 'global',
        tags,
      };
      const zone = new privatedns.PrivateZone(`${name}-dns`, zoneArgs, child);
      const linkArgs: privatedns.VirtualNetworkLinkArgs = {
        virtualNetworkLinkName: `${args.clusterName}-vnet`,
        privateZoneName: zone.name,
        resourceGroupName: args.resourceGroupName,
        location: 'global',
        virtualNetwork: { id: args.nodeSubnet.virtualNetworkId },
        registrationEnabled: false,
        tags,
      };
      dnsReady.push(new privatedns.VirtualNetworkLink(`${name}-dns-link`, linkArgs, child));
      zoneId = zone.id;
    }
    const endpointArgs: network.PrivateEndpointArgs = {
      privateEndpointName: `${args.clusterName}-kms-vault`,
      resourceGroupName: args.resourceGroupName,
      location: args.region,
      subnet: { id: args.nodeSubnetId },
      privateLinkServiceConnections: [{ name: 'vault', privateLinkServiceId: vault.id, groupIds: ['vault'] }],
      tags,
    };
    const endpoint = new network.PrivateEndpoint(`${name}-endpoint`, endpointArgs, child);
    const endpointDnsArgs: network.PrivateDnsZoneGroupArgs = {
      privateDnsZoneGroupName: 'vault',
      privateEndpointName: endpoint.name,
      resourceGroupName: args.resourceGroupName,
      privateDnsZoneConfigs: [{ name: 'vault', privateDnsZoneId: zoneId }],
    };
    const endpointDns = new network.PrivateDnsZoneGroup(`${name}-endpoint-dns`, endpointDnsArgs, child);

    // A new key version every 90 days; versions do not expire, because the KMS plugin keeps decrypting with the
    // version it was given until the cluster's keyId moves to the new one (pulumi up after a refresh picks it up).
    const keyArgs: keyvault.KeyArgs = {
      keyName: 'etcd-kms',
      vaultName: vault.name,
      resourceGroupName: args.resourceGroupName,
      properties: {
        kty: 'RSA',
        keySize: 2048,
        keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
        attributes: { enabled: true },
        rotationPolicy: {
          lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeAfterCreate: AKS_KEY_ROTATION } }],
        },
      },
      tags,
    };
    const etcdKey = new keyvault.Key(`${name}-etcd-key`, keyArgs, {
      ...child,
      dependsOn: [endpoint, endpointDns, ...dnsReady],
    });

    // Node OS disks and volumes are encrypted with a key of their own, through the disk encryption set: RSA 3072
    // wrapping the disks' data keys, rotated like the etcd key (the set follows new versions by itself).
    const diskKeyArgs: keyvault.KeyArgs = {
      keyName: 'disks-cmk',
      vaultName: vault.name,
      resourceGroupName: args.resourceGroupName,
      properties: {
        kty: 'RSA',
        keySize: 3072,
        keyOps: ['wrapKey', 'unwrapKey'],
        attributes: { enabled: true },
        rotationPolicy: {
          lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeAfterCreate: AKS_KEY_ROTATION } }],
        },
      },
      tags,
    };
    const diskKey = new keyvault.Key(`${name}-disk-key`, diskKeyArgs, {
      ...child,
      dependsOn: [endpoint, endpointDns, ...dnsReady],
    });

    // The KMS plugin encrypts and decrypts with this key only (Crypto User on the key, not the vault); AKS creates its
    // private link to the vault with Key Vault Contributor (AKS docs, private key vault).
    const assign = (suffix: string, role: AksRole, scope: pulumi.Input<string>, description: string) => {
      const assignmentArgs: authorization.RoleAssignmentArgs = {
        principalId: args.identityPrincipalId,
        principalType: 'ServicePrincipal',
        roleDefinitionId: roleDefinitionId(args.subscriptionId, role),
        scope,
        description,
      };
      return new authorization.RoleAssignment(`${name}-${suffix}`, assignmentArgs, child);
    };
    this.ready = [
      assign(
        'etcd-key-crypto-user',
        'keyVaultCryptoUser',
        etcdKey.id,
        `AKS ${args.clusterName}: KMS plugin encrypts etcd with this key`,
      ),
      assign(
        'contributor',
        'keyVaultContributor',
        vault.id,
        `AKS ${args.clusterName}: private link from the KMS plugin to the vault`,
      ),
    ];
    // Who reads or uses the key is audited in the cluster's workspace.
    const auditArgs: monitor.DiagnosticSettingArgs = {
      name: 'bulwark-audit',
      resourceUri: vault.id,
      workspaceId: args.workspaceId,
      logs: [{ categoryGroup: 'audit', enabled: true }],
    };
    new monitor.DiagnosticSetting(`${name}-audit`, auditArgs, child);
    this.vaultId = vault.id;
    this.etcdKeyUri = etcdKey.keyUriWithVersion;
    this.diskKeyUri = diskKey.keyUriWithVersion;
    this.diskKeyId = diskKey.id;
    this.registerOutputs({ vaultId: this.vaultId, etcdKeyUri: this.etcdKeyUri, diskKeyUri: this.diskKeyUri });
  }
}
