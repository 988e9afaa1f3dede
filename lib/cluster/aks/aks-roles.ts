/**
 * Azure built-in role definitions the AKS component assigns, by their fixed ids (the same in every tenant). Kept free
 * of the SDK so that the posture checklist can name them.
 */
export const AKS_ROLES = {
  /** Encrypt, decrypt, wrap and unwrap with keys (RBAC key vaults): the KMS plugin's use of the etcd key. */
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424',
  /** Manage key vaults, no data access: AKS needs it to create the private link to a private key vault. */
  keyVaultContributor: 'f25e0fa2-a7c8-4377-a976-54943a77a395',
  /**
   * Wrap and unwrap with keys (RBAC key vaults), nothing else: what a disk encryption set needs on its key (the key
   * permissions get, wrapKey and unwrapKey of the AKS BYOK docs).
   */
  keyVaultCryptoServiceEncryptionUser: 'e147488a-f6f5-4113-8e2d-b22465e65bf6',
  /** Manage the resource it is assigned on: AKS needs it on the disk encryption set it creates disks with. */
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  /** Join and manage subnets: the cluster identity needs it on the node and API server subnets it was given. */
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  /** Every Kubernetes permission in the cluster, through Azure RBAC for Kubernetes authorization. */
  clusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
  /** List the cluster's user kubeconfig (no Kubernetes permission by itself). */
  clusterUser: '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
} as const;

export type AksRole = keyof typeof AKS_ROLES;

/** The subscription-scoped id of a built-in role definition, as role assignments take it. */
export function roleDefinitionId(subscriptionId: string, role: AksRole): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AKS_ROLES[role]}`;
}

/** The role a role definition id names, or undefined for a role this component does not assign. */
export function roleOf(definitionId: unknown): AksRole | undefined {
  if (typeof definitionId !== 'string') return undefined;
  const guid = definitionId.slice(definitionId.lastIndexOf('/') + 1);
  return (Object.keys(AKS_ROLES) as AksRole[]).find((r) => AKS_ROLES[r] === guid);
}
