import { parseIpv4Cidr } from '../../k8s/cidr';
import { isolatedPoolsControl } from '../posture/isolated-pools-control';
import { getPath, PlannedResource, PlanView, resourceLabel } from '../posture/planned-resource';
import { Check, control, Evidence, expect, PostureControl, prop, ref, related } from '../posture/posture-control';
import { AKS_VERSIONS } from './aks-versions';
import { AKS_ROLES, AksRole, roleOf } from './aks-roles';

// Type tokens only: this module must not load @pulumi/azure-native (the plan loads it only for Azure stacks).
const CLUSTER = 'azure-native:containerservice:ManagedCluster';
const AGENT_POOL = 'azure-native:containerservice:AgentPool';
const VAULT = 'azure-native:keyvault:Vault';
const KEY = 'azure-native:keyvault:Key';
const IDENTITY = 'azure-native:managedidentity:UserAssignedIdentity';
const ROLE_ASSIGNMENT = 'azure-native:authorization:RoleAssignment';
const WORKSPACE = 'azure-native:operationalinsights:Workspace';
const DIAGNOSTIC_SETTING = 'azure-native:monitor:DiagnosticSetting';
const NSG = 'azure-native:network:NetworkSecurityGroup';
const SUBNET = 'azure-native:network:Subnet';
const PRIVATE_ENDPOINT = 'azure-native:network:PrivateEndpoint';
const MAINTENANCE = 'azure-native:containerservice:MaintenanceConfiguration';
const FLUX_EXTENSION = 'azure-native:kubernetesconfiguration:Extension';
const FLUX_CONFIG = 'azure-native:kubernetesconfiguration:FluxConfiguration';
const DISK_ENCRYPTION_SET = 'azure-native:compute:DiskEncryptionSet';

const AKS_DELEGATION = 'Microsoft.ContainerService/managedClusters';
const AUDIT_CATEGORIES = ['kube-audit', 'kube-audit-admin', 'guard'];

/** Days of an ISO 8601 period such as `P90D` or `P1Y` (months as 30 days); undefined for anything else. */
export function isoPeriodDays(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(value);
  if (!m || value === 'P') return undefined;
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0);
}

const rotatesWithin = (days: number) =>
  expect.that(`a "rotate" action at most P${days}D after creation`, (a) =>
    Array.isArray(a)
      ? a.some((x) => {
          const period = isoPeriodDays(getPath(x, 'trigger.timeAfterCreate'));
          return getPath(x, 'action.type') === 'rotate' && period !== undefined && period > 0 && period <= days;
        })
      : false,
  );

const narrowCidr = (a: unknown) => {
  const c = typeof a === 'string' ? parseIpv4Cidr(a) : undefined;
  return c !== undefined && c.prefix >= 8;
};

const ports = (rule: unknown): string[] => {
  const list = getPath(rule, 'destinationPortRanges');
  const one = getPath(rule, 'destinationPortRange');
  return [...(Array.isArray(list) ? list.map(String) : []), ...(typeof one === 'string' ? [one] : [])];
};
const opens443 = (rule: unknown) => ports(rule).some((p) => p === '443' || p === '*');

/** Every rule that allows 443 comes from an IPv4 CIDR of /8 or narrower, and a later rule denies 443 to any source. */
const apiServerRules = expect.that(
  'Allow rules on 443 from IPv4 CIDRs of /8 or narrower only, then a Deny of 443 from "*"',
  (a) => {
    if (!Array.isArray(a)) return false;
    const allows = a.filter((r) => getPath(r, 'access') === 'Allow' && opens443(r));
    const deny = a.find(
      (r) => getPath(r, 'access') === 'Deny' && getPath(r, 'sourceAddressPrefix') === '*' && opens443(r),
    );
    return (
      deny !== undefined &&
      allows.every(
        (r) =>
          narrowCidr(getPath(r, 'sourceAddressPrefix')) &&
          Number(getPath(r, 'priority')) < Number(getPath(deny, 'priority')),
      )
    );
  },
);

const poolHardening = (at: string) => [
  prop(`${at}enableEncryptionAtHost`, expect.equals(true)),
  prop(`${at}enableNodePublicIP`, expect.equals(false)),
  prop(`${at}securityProfile.sshAccess`, expect.equals('Disabled')),
];

/** The inline (system) pools of a cluster, each as a path into its inputs. */
function inlinePools(cluster: PlannedResource): string[] {
  const pools = getPath(cluster.inputs, 'agentPoolProfiles');
  return Array.isArray(pools) ? pools.map((_, i) => `agentPoolProfiles[${i}]`) : [];
}

/** Every pool check applied to every inline pool of the cluster (a cluster always has at least one). */
const eachInlinePool =
  (checks: (at: string) => readonly Check[]): Check =>
  (r, plan) => {
    const at = inlinePools(r);
    if (at.length === 0) return prop('agentPoolProfiles', expect.set('at least one inline pool'))(r, plan);
    return at.flatMap((p) => checks(`${p}.`).flatMap((c) => c(r, plan)));
  };

/** The role assignments of `principalId` with `role` on `scope`. */
function assignments(plan: PlanView, principalId: unknown, role: AksRole, scope: unknown): PlannedResource[] {
  return plan
    .ofType(ROLE_ASSIGNMENT)
    .filter((a) => a.inputs.principalId === principalId && roleOf(a.inputs.roleDefinitionId) === role)
    .filter((a) => a.inputs.scope === scope);
}

/**
 * The control-plane identity of the cluster holds each role the KMS plugin and the VNet integration need, on exactly
 * the resource it needs it on: Crypto User on the etcd key, Key Vault Contributor on the vault, Network Contributor on
 * the API server and node subnets.
 */
const identityRoles: Check = (cluster, plan) => {
  const identityId = getPath(cluster.inputs, 'identity.userAssignedIdentities[0]');
  const identity = plan.findByOutput(IDENTITY, 'id', identityId);
  const link: Evidence = {
    resource: resourceLabel(cluster),
    property: 'identity.userAssignedIdentities[0]',
    actual: identityId,
    expected: `the id of a registered ${IDENTITY}`,
    pass: identity !== undefined,
  };
  if (!identity) return [link];
  const principalId = identity.state.principalId;
  const key = plan.findByOutput(
    KEY,
    'keyUriWithVersion',
    getPath(cluster.inputs, 'securityProfile.azureKeyVaultKms.keyId'),
  );
  const needs: [AksRole, string, unknown][] = [
    ['keyVaultCryptoUser', 'the etcd key (securityProfile.azureKeyVaultKms.keyId)', key?.id],
    [
      'keyVaultContributor',
      'the key vault (keyVaultResourceId)',
      getPath(cluster.inputs, 'securityProfile.azureKeyVaultKms.keyVaultResourceId'),
    ],
    [
      'networkContributor',
      'the API server subnet (apiServerAccessProfile.subnetId)',
      getPath(cluster.inputs, 'apiServerAccessProfile.subnetId'),
    ],
    [
      'networkContributor',
      'the node subnet (agentPoolProfiles[0].vnetSubnetID)',
      getPath(cluster.inputs, 'agentPoolProfiles[0].vnetSubnetID'),
    ],
  ];
  return [
    link,
    ...needs.map(([role, what, scope]): Evidence => {
      const found = scope === undefined ? [] : assignments(plan, principalId, role, scope);
      return {
        resource: resourceLabel(identity),
        property: `(role assignment ${role} ${AKS_ROLES[role]})`,
        actual: found.length > 0 ? found.map((a) => a.inputs.scope) : 'none',
        expected: `on ${what}`,
        pass: found.length > 0,
      };
    }),
  ];
};

/**
 * The two grants disk encryption with a customer-managed key needs, each on exactly its resource: the disk encryption
 * set's identity may wrap and unwrap with its key (Crypto Service Encryption User on the key), and the cluster identity
 * may create disks with the set (Contributor on the set, not on a resource group or subscription).
 */
const diskEncryptionRoles: Check = (cluster, plan) => {
  const set = plan.findByOutput(DISK_ENCRYPTION_SET, 'id', getPath(cluster.inputs, 'diskEncryptionSetID'));
  const key = set && plan.findByOutput(KEY, 'keyUriWithVersion', getPath(set.inputs, 'activeKey.keyUrl'));
  const identity = plan.findByOutput(IDENTITY, 'id', getPath(cluster.inputs, 'identity.userAssignedIdentities[0]'));
  const grant = (
    holder: PlannedResource | undefined,
    principalId: unknown,
    role: AksRole,
    scope: unknown,
    what: string,
  ): Evidence => {
    const found = principalId === undefined || scope === undefined ? [] : assignments(plan, principalId, role, scope);
    return {
      resource: resourceLabel(holder ?? cluster),
      property: `(role assignment ${role} ${AKS_ROLES[role]})`,
      actual: found.length > 0 ? found.map((a) => a.inputs.scope) : 'none',
      expected: `on ${what}`,
      pass: found.length > 0,
    };
  };
  return [
    grant(
      set,
      getPath(set?.state, 'identity.principalId'),
      'keyVaultCryptoServiceEncryptionUser',
      key?.id,
      "the disk key (the set's activeKey.keyUrl)",
    ),
    grant(
      identity,
      identity?.state.principalId,
      'contributor',
      set?.id,
      'the disk encryption set (diskEncryptionSetID)',
    ),
  ];
};

/** Posture checklist of a HardenedAksCluster stack, computed from the registered resources. */
export const AKS_CONTROLS: readonly PostureControl[] = [
  control({
    id: 'aks-secrets-encryption',
    title: 'Secrets encrypted in etcd by KMS with a customer-managed key in a private key vault, rotated',
    references: ['CIS AKS 5.3.1', 'NSA/CISA: encrypt Secrets at rest', 'AKS: KMS etcd encryption'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('securityProfile.azureKeyVaultKms.enabled', expect.equals(true)),
          prop('securityProfile.azureKeyVaultKms.keyVaultNetworkAccess', expect.equals('Private')),
          ref('securityProfile.azureKeyVaultKms.keyId', KEY, 'keyUriWithVersion', [
            prop('properties.rotationPolicy.lifetimeActions', rotatesWithin(365)),
          ]),
          ref('securityProfile.azureKeyVaultKms.keyVaultResourceId', VAULT, 'id', []),
        ],
      },
    ],
  }),
  control({
    id: 'aks-key-vault',
    title:
      'Key vault private (public access off, deny by default, private endpoint), RBAC, soft delete, purge protection',
    references: ['Azure security benchmark: Key Vault', 'AKS: KMS with a private key vault'],
    targets: [
      {
        resourceType: VAULT,
        checks: [
          prop('properties.publicNetworkAccess', expect.equals('Disabled')),
          prop('properties.networkAcls.defaultAction', expect.equals('Deny')),
          prop('properties.enableRbacAuthorization', expect.equals(true)),
          prop('properties.enableSoftDelete', expect.equals(true)),
          prop('properties.softDeleteRetentionInDays', expect.atLeast(90)),
          prop('properties.enablePurgeProtection', expect.equals(true)),
          related(
            'private endpoint to the vault',
            (v, plan) =>
              plan
                .ofType(PRIVATE_ENDPOINT)
                .filter((e) =>
                  ((getPath(e.inputs, 'privateLinkServiceConnections') as unknown[] | undefined) ?? []).some(
                    (c) => getPath(c, 'privateLinkServiceId') === v.id,
                  ),
                ),
            [prop('privateLinkServiceConnections[0].groupIds', expect.includesAll(['vault']))],
          ),
        ],
      },
    ],
  }),
  control({
    id: 'aks-disk-encryption',
    title:
      'Node OS disks and volumes encrypted with a customer-managed key through a disk encryption set that follows its rotation',
    references: [
      'AKS: BYOK with Azure managed disks',
      'Azure Policy: OS and data disks should be encrypted with a customer-managed key',
      'NSA/CISA: encrypt data at rest',
    ],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          ref('diskEncryptionSetID', DISK_ENCRYPTION_SET, 'id', [
            prop(
              'encryptionType',
              expect.oneOf(['EncryptionAtRestWithCustomerKey', 'EncryptionAtRestWithPlatformAndCustomerKeys']),
            ),
            prop('rotationToLatestKeyVersionEnabled', expect.equals(true)),
            ref('activeKey.keyUrl', KEY, 'keyUriWithVersion', [
              prop('properties.rotationPolicy.lifetimeActions', rotatesWithin(365)),
            ]),
          ]),
          diskEncryptionRoles,
        ],
      },
    ],
  }),
  control({
    id: 'aks-control-plane-identity',
    title:
      'User-assigned control-plane identity holding the roles KMS and the VNet integration need, each on its resource',
    references: ['AKS: KMS etcd encryption (identity and permissions)', 'AKS: API Server VNet Integration'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [prop('identity.type', expect.equals('UserAssigned')), identityRoles],
      },
    ],
  }),
  control({
    id: 'aks-private-cluster',
    title: 'Private API server in a delegated subnet, no public FQDN, run command disabled',
    references: [
      'CIS AKS 5.4.2',
      'AKS: private clusters',
      'AKS: API Server VNet Integration',
      'AKS: disable run command',
    ],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('apiServerAccessProfile.enablePrivateCluster', expect.equals(true)),
          prop('apiServerAccessProfile.enablePrivateClusterPublicFQDN', expect.equals(false)),
          prop('apiServerAccessProfile.disableRunCommand', expect.equals(true)),
          prop('apiServerAccessProfile.enableVnetIntegration', expect.equals(true)),
          ref('apiServerAccessProfile.subnetId', SUBNET, 'id', [
            prop('delegations', expect.every(expect.field('serviceName', expect.equals(AKS_DELEGATION)))),
          ]),
        ],
      },
    ],
  }),
  control({
    id: 'aks-authorized-networks',
    title: 'API server subnet NSG: 443 from the authorized networks and the nodes only',
    references: [
      'CIS AKS 5.4.1',
      'AKS: API Server VNet Integration (NSG rules)',
      'NSA/CISA: restrict control-plane access',
    ],
    targets: [
      {
        resourceType: SUBNET,
        where: (s) =>
          ((getPath(s.inputs, 'delegations') as unknown[] | undefined) ?? []).some(
            (d) => getPath(d, 'serviceName') === AKS_DELEGATION,
          ),
        whereDescribe: 'API server subnet (delegated to AKS)',
        checks: [ref('networkSecurityGroup.id', NSG, 'id', [prop('securityRules', apiServerRules)])],
      },
    ],
  }),
  control({
    id: 'aks-audit-logs',
    title: 'kube-audit, kube-audit-admin and guard logs to a Log Analytics workspace kept >= 365 days',
    references: ['CIS AKS 2.1.1', 'AKS: resource logs (kube-audit, guard)', 'NSA/CISA: audit logging'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          related(
            'diagnostic setting of the cluster',
            (c, plan) => plan.ofType(DIAGNOSTIC_SETTING).filter((d) => d.inputs.resourceUri === c.id),
            [
              prop(
                'logs',
                expect.that(`enabled categories include ${AUDIT_CATEGORIES.join(', ')}`, (a) =>
                  AUDIT_CATEGORIES.every(
                    (cat) =>
                      Array.isArray(a) &&
                      a.some((l) => getPath(l, 'category') === cat && getPath(l, 'enabled') === true),
                  ),
                ),
              ),
              ref('workspaceId', WORKSPACE, 'id', [prop('retentionInDays', expect.atLeast(365))]),
            ],
          ),
        ],
      },
    ],
  }),
  control({
    id: 'aks-entra-rbac',
    title: 'Local accounts disabled; Entra ID with Azure RBAC; admins are groups',
    references: [
      'CIS AKS 5.5.1',
      'CIS AKS 5.5.2',
      'AKS: disable local accounts',
      'AKS: Azure RBAC for Kubernetes authorization',
      'OWASP K03',
    ],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('disableLocalAccounts', expect.equals(true)),
          prop('enableRBAC', expect.equals(true)),
          prop('aadProfile.managed', expect.equals(true)),
          prop('aadProfile.enableAzureRBAC', expect.equals(true)),
          related(
            'cluster-admin role assignments on the cluster',
            (c, plan) =>
              plan
                .ofType(ROLE_ASSIGNMENT)
                .filter((a) => a.inputs.scope === c.id && roleOf(a.inputs.roleDefinitionId) === 'clusterAdmin'),
            [prop('principalType', expect.equals('Group'))],
          ),
        ],
      },
    ],
  }),
  control({
    id: 'aks-workload-identity',
    title: 'Workload identity with the OIDC issuer (pods get Entra ID identities of their own)',
    references: ['CIS AKS 5.2.1', 'AKS: workload identity', 'NSA/CISA: least privilege'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('oidcIssuerProfile.enabled', expect.equals(true)),
          prop('securityProfile.workloadIdentity.enabled', expect.equals(true)),
        ],
      },
    ],
  }),
  control({
    id: 'aks-node-hardening',
    title: 'Every pool: encryption at host, no public node IPs, SSH disabled',
    references: [
      'CIS AKS 5.4.3',
      'AKS: host-based encryption',
      'AKS: node SSH access',
      'NSA/CISA: minimize node access',
    ],
    targets: [
      { resourceType: CLUSTER, checks: [eachInlinePool(poolHardening)] },
      { resourceType: AGENT_POOL, checks: poolHardening('') },
    ],
  }),
  control({
    id: 'aks-system-pool',
    title: 'A separate system pool tainted CriticalAddonsOnly; workloads on user pools',
    references: ['AKS: system node pools', 'NSA/CISA: separate workloads'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop(
            'agentPoolProfiles',
            expect.that('exactly one System pool, tainted CriticalAddonsOnly=true:NoSchedule', (a) => {
              const system = Array.isArray(a) ? a.filter((p) => getPath(p, 'mode') === 'System') : [];
              const taints = getPath(system[0], 'nodeTaints');
              return (
                system.length === 1 && Array.isArray(taints) && taints.includes('CriticalAddonsOnly=true:NoSchedule')
              );
            }),
          ),
        ],
      },
      { resourceType: AGENT_POOL, checks: [prop('mode', expect.equals('User'))] },
    ],
  }),
  control({
    id: 'aks-network-policy',
    title: 'NetworkPolicy enforced (Cilium or Azure network policy)',
    references: ['CIS AKS 5.4.4', 'AKS: network policies', 'NSA/CISA: network separation'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('networkProfile.networkPlugin', expect.equals('azure')),
          prop('networkProfile.networkPolicy', expect.oneOf(['cilium', 'azure'])),
        ],
      },
    ],
  }),
  control({
    id: 'aks-auto-upgrade',
    title:
      'A supported version, automatic upgrade channels for the cluster and the node OS, inside maintenance windows',
    references: ['AKS: auto-upgrade', 'AKS: planned maintenance', 'NSA/CISA: keep up to date', 'OWASP K10'],
    targets: [
      {
        resourceType: MAINTENANCE,
        checks: [
          prop('configName', expect.oneOf(['aksManagedAutoUpgradeSchedule', 'aksManagedNodeOSUpgradeSchedule'])),
          prop('maintenanceWindow.durationHours', expect.atLeast(4)),
        ],
      },
      {
        resourceType: CLUSTER,
        checks: [
          prop('kubernetesVersion', expect.oneOf(AKS_VERSIONS.map((v) => v.version))),
          related(
            'maintenance configurations aksManagedAutoUpgradeSchedule and aksManagedNodeOSUpgradeSchedule',
            (c, plan) => plan.ofType(MAINTENANCE).filter((m) => m.inputs.resourceName === c.inputs.resourceName),
            [],
            2,
          ),
          prop('autoUpgradeProfile.upgradeChannel', expect.oneOf(['patch', 'stable', 'rapid'])),
          prop('autoUpgradeProfile.nodeOSUpgradeChannel', expect.oneOf(['NodeImage', 'SecurityPatch'])),
        ],
      },
    ],
  }),
  control({
    id: 'aks-azure-policy',
    title: 'Azure Policy add-on on (Gatekeeper with the Azure policy initiatives)',
    references: ['AKS: Azure Policy add-on', 'OWASP K04'],
    targets: [{ resourceType: CLUSTER, checks: [prop('addonProfiles.azurepolicy.enabled', expect.equals(true))] }],
  }),
  isolatedPoolsControl({
    id: 'aks-isolated-pools',
    references: ['NSA/CISA: separate sensitive workloads', 'OWASP K07'],
    poolType: AGENT_POOL,
    pools: (plan) => [
      ...plan
        .ofType(CLUSTER)
        .flatMap((resource) =>
          inlinePools(resource).map((at) => ({ resource, at, labelsPath: 'nodeLabels', taintsPath: 'nodeTaints' })),
        ),
      ...plan
        .ofType(AGENT_POOL)
        .map((resource) => ({ resource, at: '', labelsPath: 'nodeLabels', taintsPath: 'nodeTaints' })),
    ],
  }),
];

/** The GitOps bootstrap of a `gitops` stack: Flux runs in the cluster and keeps the baseline applied. */
export const AKS_GITOPS_CONTROLS: readonly PostureControl[] = [
  control({
    id: 'aks-gitops-baseline',
    title: 'Flux (AKS GitOps extension) pulls the baseline from Git and prunes what leaves it',
    references: ['mspnp/aks-baseline: GitOps bootstrap', 'AKS: GitOps with Flux v2'],
    targets: [
      { resourceType: FLUX_EXTENSION, checks: [prop('extensionType', expect.equals('microsoft.flux'))] },
      {
        resourceType: FLUX_CONFIG,
        checks: [
          prop('sourceKind', expect.equals('GitRepository')),
          prop('scope', expect.equals('cluster')),
          prop('gitRepository.url', expect.set('the repository of the synthesized baseline')),
          prop('kustomizations.baseline.prune', expect.equals(true)),
        ],
      },
    ],
  }),
];
