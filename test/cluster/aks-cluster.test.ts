import * as pulumi from '@pulumi/pulumi';
import { AKS_MOCKS, MOCK_TENANT_ID } from '../../lib/cluster/aks/aks-mocks';
import { AKS_CONTROLS } from '../../lib/cluster/aks/aks-posture';
import { HardenedAksCluster, HardenedAksClusterArgs } from '../../lib/cluster/aks/hardened-aks-cluster';
import { PlanMocks } from '../../lib/cluster/plan/plan-mocks';
import { MockRun, runUnderMocks } from '../../lib/cluster/plan/run-under-mocks';
import { PlannedResource, PlanView } from '../../lib/cluster/posture/planned-resource';
import { evaluatePosture } from '../../lib/cluster/posture/posture-control';

const SUBSCRIPTION = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const VNET = `/subscriptions/${SUBSCRIPTION}/resourceGroups/network-prod/providers/Microsoft.Network/virtualNetworks/platform-vnet`;
const NODE_SUBNET = `${VNET}/subnets/payroll-nodes`;
const ADMINS = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

const ARGS: HardenedAksClusterArgs = {
  clusterName: 'payroll-prod',
  subscriptionId: SUBSCRIPTION,
  region: 'westeurope',
  kubernetesVersion: '1.35',
  environment: 'prod',
  maintenanceWindow: { days: ['Saturday', 'Sunday'], startHour: 2, durationHours: 6 },
  baselineApply: 'in-program',
  nodeSubnetId: NODE_SUBNET,
  apiServerSubnetCidr: '10.50.255.0/28',
  authorizedNetworks: ['10.60.0.0/16', '192.168.7.0/24'],
  adminGroupObjectIds: [ADMINS],
  nodeGroups: [
    { name: 'system', machineType: 'Standard_D4ds_v5', minCount: 2, maxCount: 3, desiredCount: 2, diskSizeGb: 64 },
    { name: 'workers', machineType: 'Standard_D8ds_v5', minCount: 3, maxCount: 12, desiredCount: 4, diskSizeGb: 128 },
  ],
  isolatedPools: [
    { name: 'sensitive', machineType: 'Standard_D4ds_v5', minCount: 2, maxCount: 4, desiredCount: 2, diskSizeGb: 64 },
  ],
};
const CONTEXT = {
  region: ARGS.region,
  config: { subscriptionId: SUBSCRIPTION, apiServerSubnetCidr: ARGS.apiServerSubnetCidr },
};
const RG = `/subscriptions/${SUBSCRIPTION}/resourceGroups/payroll-prod-rg`;
const ROLE = (guid: string) =>
  `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** Records the order in which resources register: a resource registers only after those it depends on. */
class OrderedMocks extends PlanMocks {
  readonly order: string[] = [];
  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    this.order.push(args.name);
    return super.newResource(args);
  }
}

let kubeconfigIsSecret: Promise<boolean> | undefined;
let registrationOrder: string[] = [];

async function runAks(transformations: pulumi.ResourceTransformation[] = []): Promise<MockRun> {
  const mocks = new OrderedMocks(AKS_MOCKS, CONTEXT);
  const run = await runUnderMocks(
    () => {
      const cluster = new HardenedAksCluster('payroll', ARGS);
      kubeconfigIsSecret = pulumi.isSecret(cluster.kubeconfig);
      return {
        kubeconfig: cluster.kubeconfig,
        endpoint: cluster.endpoint,
        etcdKeyId: cluster.etcdKeyId,
        storageClass: cluster.storageClass.parameters,
      };
    },
    { project: 'bulwark', stack: 'test', mocks, transformations },
  );
  registrationOrder = mocks.order;
  return run;
}

function one(run: MockRun, type: string, name: string): PlannedResource {
  const hits = run.resources.filter((r) => r.type === type && r.name === name);
  if (hits.length !== 1) throw new Error(`${hits.length} ${type} ${name} in ${run.resources.map((r) => r.name)}`);
  return hits[0];
}

describe('HardenedAksCluster guard', () => {
  it('refuses to be created when neither an engine nor mocks are attached', () => {
    pulumi.runtime.resetOptions('', '', -1, '', '', false, '');
    expect(() => new HardenedAksCluster('early', ARGS)).toThrow(
      "bulwark:cluster:HardenedAksCluster 'early' was created with no Pulumi engine and no mocks attached",
    );
  });
});

describe('HardenedAksCluster under mocks', () => {
  let run: MockRun;
  let cluster: PlannedResource;
  let identity: PlannedResource;
  let vault: PlannedResource;
  let key: PlannedResource;
  let apiSubnet: PlannedResource;
  beforeAll(async () => {
    run = await runAks();
    cluster = one(run, 'azure-native:containerservice:ManagedCluster', 'payroll-cluster');
    identity = one(run, 'azure-native:managedidentity:UserAssignedIdentity', 'payroll-control-plane-identity');
    vault = one(run, 'azure-native:keyvault:Vault', 'payroll-kms-vault');
    key = one(run, 'azure-native:keyvault:Key', 'payroll-kms-vault-etcd-key');
    apiSubnet = one(run, 'azure-native:network:Subnet', 'payroll-apiserver-subnet');
  });
  const assignmentsOf = (principalId: unknown) =>
    run.resources
      .filter((r) => r.type === 'azure-native:authorization:RoleAssignment' && r.inputs.principalId === principalId)
      .map((r) => [r.name, r.inputs.roleDefinitionId, r.inputs.scope, r.inputs.principalType]);

  it('is a bulwark:cluster component on an explicit provider pinned to the subscription and region', () => {
    const component = one(run, 'bulwark:cluster:HardenedAksCluster', 'payroll');
    const view = new PlanView(run.resources);
    const children = run.resources.filter((r) => view.ancestors(r).includes(component));
    expect([...new Set(children.filter((r) => !r.custom).map((r) => r.type))].sort()).toEqual([
      'bulwark:cluster:AksApiServerSubnet',
      'bulwark:cluster:AksClusterAdmins',
      'bulwark:cluster:AksControlPlaneIdentity',
      'bulwark:cluster:AksDiskEncryption',
      'bulwark:cluster:AksKeyVault',
      'bulwark:cluster:AksMaintenance',
      'bulwark:cluster:AksNodePool',
    ]);
    expect(children.length).toBe(run.resources.length - 2);
    expect(children.every((c) => c.name.startsWith('payroll-'))).toBe(true);
    const provider = one(run, 'pulumi:providers:azure-native', 'payroll-azure');
    expect(provider.inputs).toMatchObject({ subscriptionId: SUBSCRIPTION, location: 'westeurope' });
    const providerRef = `${provider.urn}::${provider.id}`;
    const azure = children.filter((c) => c.custom && c.type.startsWith('azure-native:'));
    expect(azure.every((c) => c.provider === providerRef)).toBe(true);
    expect(one(run, 'azure-native:resources:ResourceGroup', 'payroll-rg').id).toBe(RG);
  });

  it('encrypts Secrets through KMS with a rotating key of a private vault, by version and vault id', () => {
    expect(cluster.inputs.securityProfile).toEqual({
      azureKeyVaultKms: {
        enabled: true,
        keyId: key.state.keyUriWithVersion,
        keyVaultNetworkAccess: 'Private',
        keyVaultResourceId: vault.id,
      },
      workloadIdentity: { enabled: true },
    });
    expect(key.state.keyUriWithVersion).toMatch(
      /^https:\/\/payroll-prod-kms-[0-9a-f]{4}\.vault\.azure\.net\/keys\/etcd-kms\/[0-9a-f]{32}$/,
    );
    expect(key.inputs).toEqual({
      keyName: 'etcd-kms',
      vaultName: expect.stringMatching(/^payroll-prod-kms-[0-9a-f]{4}$/),
      resourceGroupName: 'payroll-prod-rg',
      properties: {
        kty: 'RSA',
        keySize: 2048,
        keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
        attributes: { enabled: true, exportable: false },
        rotationPolicy: { lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeAfterCreate: 'P90D' } }] },
      },
      tags: { 'bulwark-cluster': 'payroll-prod', 'bulwark-environment': 'prod', 'managed-by': 'bulwark' },
    });
  });

  it('keeps the key in a private, RBAC, soft-deleted and purge-protected vault reached through a private endpoint', () => {
    expect(vault.inputs).toMatchObject({
      vaultName: expect.stringMatching(/^payroll-prod-kms-[0-9a-f]{4}$/),
      properties: {
        tenantId: MOCK_TENANT_ID,
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: true,
        publicNetworkAccess: 'Disabled',
        networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' },
      },
    });
    const endpoint = one(run, 'azure-native:network:PrivateEndpoint', 'payroll-kms-vault-endpoint');
    expect(endpoint.inputs).toMatchObject({
      subnet: { id: NODE_SUBNET },
      privateLinkServiceConnections: [{ name: 'vault', privateLinkServiceId: vault.id, groupIds: ['vault'] }],
    });
    const zone = one(run, 'azure-native:privatedns:PrivateZone', 'payroll-kms-vault-dns');
    expect(zone.inputs).toMatchObject({ privateZoneName: 'privatelink.vaultcore.azure.net', location: 'global' });
    expect(one(run, 'azure-native:privatedns:VirtualNetworkLink', 'payroll-kms-vault-dns-link').inputs).toMatchObject({
      privateZoneName: 'privatelink.vaultcore.azure.net',
      virtualNetwork: { id: VNET },
      registrationEnabled: false,
    });
    expect(one(run, 'azure-native:network:PrivateDnsZoneGroup', 'payroll-kms-vault-endpoint-dns').inputs).toMatchObject(
      {
        privateEndpointName: 'payroll-prod-kms-vault',
        privateDnsZoneConfigs: [{ name: 'vault', privateDnsZoneId: zone.id }],
      },
    );
    // Keys of a private vault can only be created through its private endpoint.
    const keyAt = registrationOrder.indexOf('payroll-kms-vault-etcd-key');
    for (const before of [
      'payroll-kms-vault-endpoint',
      'payroll-kms-vault-endpoint-dns',
      'payroll-kms-vault-dns-link',
    ]) {
      expect(registrationOrder.indexOf(before)).toBeGreaterThanOrEqual(0);
      expect(registrationOrder.indexOf(before)).toBeLessThan(keyAt);
    }
  });

  it('gives the user-assigned control-plane identity exactly the roles KMS and VNet integration need, before the cluster', () => {
    expect(cluster.inputs.identity).toEqual({ type: 'UserAssigned', userAssignedIdentities: [identity.id] });
    expect(assignmentsOf(identity.state.principalId)).toEqual([
      [
        'payroll-control-plane-node-subnet-network-contributor',
        ROLE('4d97b98b-1d4f-4787-a291-c67834d212e7'),
        NODE_SUBNET,
        'ServicePrincipal',
      ],
      [
        'payroll-apiserver-subnet-network-contributor',
        ROLE('4d97b98b-1d4f-4787-a291-c67834d212e7'),
        apiSubnet.id,
        'ServicePrincipal',
      ],
      [
        'payroll-kms-vault-etcd-key-crypto-user',
        ROLE('12338af0-0e69-4776-bea7-57ae8d297424'),
        key.id,
        'ServicePrincipal',
      ],
      ['payroll-kms-vault-contributor', ROLE('f25e0fa2-a7c8-4377-a976-54943a77a395'), vault.id, 'ServicePrincipal'],
      [
        'payroll-disk-encryption-cluster-contributor',
        ROLE('b24988ac-6180-42a0-ab88-20f7382dd24c'),
        `${RG}/providers/Microsoft.Compute/diskEncryptionSets/payroll-prod-disks`,
        'ServicePrincipal',
      ],
    ]);
    expect(key.id).toBe(`${RG}/providers/Microsoft.KeyVault/vaults/${String(vault.inputs.vaultName)}/keys/etcd-kms`);
    const clusterAt = registrationOrder.indexOf('payroll-cluster');
    for (const [name] of assignmentsOf(identity.state.principalId)) {
      expect(registrationOrder.indexOf(String(name))).toBeLessThan(clusterAt);
    }
  });

  it('encrypts node OS disks and the StorageClass volumes with the disk key through a disk encryption set', () => {
    const set = one(run, 'azure-native:compute:DiskEncryptionSet', 'payroll-disk-encryption');
    const diskKey = one(run, 'azure-native:keyvault:Key', 'payroll-kms-vault-disk-key');
    expect(cluster.inputs.diskEncryptionSetID).toBe(set.id);
    expect(set.id).toBe(`${RG}/providers/Microsoft.Compute/diskEncryptionSets/payroll-prod-disks`);
    expect(set.inputs).toEqual({
      diskEncryptionSetName: 'payroll-prod-disks',
      resourceGroupName: 'payroll-prod-rg',
      location: 'westeurope',
      identity: { type: 'SystemAssigned' },
      encryptionType: 'EncryptionAtRestWithCustomerKey',
      activeKey: { keyUrl: diskKey.state.keyUriWithVersion, sourceVault: { id: vault.id } },
      rotationToLatestKeyVersionEnabled: true,
      tags: { 'bulwark-cluster': 'payroll-prod', 'bulwark-environment': 'prod', 'managed-by': 'bulwark' },
    });
    expect(diskKey.inputs).toMatchObject({
      keyName: 'disks-cmk',
      vaultName: vault.inputs.vaultName,
      properties: {
        kty: 'RSA',
        keySize: 3072,
        keyOps: ['wrapKey', 'unwrapKey'],
        rotationPolicy: { lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeAfterCreate: 'P90D' } }] },
      },
    });
    // The set's own identity may wrap and unwrap with the disk key only, granted before the cluster's first disk.
    expect(assignmentsOf((set.state.identity as { principalId: string }).principalId)).toEqual([
      [
        'payroll-disk-encryption-key-encryption-user',
        ROLE('e147488a-f6f5-4113-8e2d-b22465e65bf6'),
        diskKey.id,
        'ServicePrincipal',
      ],
    ]);
    const clusterAt = registrationOrder.indexOf('payroll-cluster');
    for (const grant of [
      'payroll-disk-encryption-key-encryption-user',
      'payroll-disk-encryption-cluster-contributor',
    ]) {
      expect(registrationOrder.indexOf(grant)).toBeGreaterThanOrEqual(0);
      expect(registrationOrder.indexOf(grant)).toBeLessThan(clusterAt);
    }
    // The encrypted StorageClass's volumes use the same set.
    expect(run.outputs.storageClass).toEqual({
      skuName: 'Premium_ZRS',
      cachingMode: 'ReadOnly',
      diskEncryptionSetID: set.id,
    });
  });

  it('is a private cluster in a delegated API server subnet whose NSG admits the nodes and authorized networks only', () => {
    expect(cluster.inputs.apiServerAccessProfile).toEqual({
      enablePrivateCluster: true,
      enablePrivateClusterPublicFQDN: false,
      privateDNSZone: 'system',
      enableVnetIntegration: true,
      subnetId: apiSubnet.id,
      disableRunCommand: true,
    });
    expect(apiSubnet.id).toBe(`${VNET}/subnets/payroll-prod-apiserver`);
    const nsg = one(run, 'azure-native:network:NetworkSecurityGroup', 'payroll-apiserver-subnet-nsg');
    expect(apiSubnet.inputs).toEqual({
      subnetName: 'payroll-prod-apiserver',
      resourceGroupName: 'network-prod',
      virtualNetworkName: 'platform-vnet',
      addressPrefix: '10.50.255.0/28',
      delegations: [{ name: 'aks-apiserver', serviceName: 'Microsoft.ContainerService/managedClusters' }],
      networkSecurityGroup: { id: nsg.id },
      // Defaults the SDK registers.
      privateEndpointNetworkPolicies: 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled',
    });
    const rule = (name: string, priority: number, access: string, source: string, ports: string[]) => ({
      name,
      priority,
      access,
      direction: 'Inbound',
      protocol: 'Tcp',
      sourceAddressPrefix: source,
      sourcePortRange: '*',
      destinationAddressPrefix: '10.50.255.0/28',
      destinationPortRanges: ports,
    });
    // The node subnet's range is looked up (answered offline as 10.50.0.0/22).
    expect(nsg.inputs.securityRules).toEqual([
      rule('allow-nodes', 100, 'Allow', '10.50.0.0/22', ['443', '4443']),
      rule('allow-azure-lb-probe', 110, 'Allow', 'AzureLoadBalancer', ['9988']),
      rule('allow-authorized-0', 200, 'Allow', '10.60.0.0/16', ['443']),
      rule('allow-authorized-1', 201, 'Allow', '192.168.7.0/24', ['443']),
      rule('deny-other', 4000, 'Deny', '*', ['443', '4443']),
    ]);
  });

  it('sends kube-audit, kube-audit-admin and guard to a Log Analytics workspace kept a year', () => {
    const workspace = one(run, 'azure-native:operationalinsights:Workspace', 'payroll-logs');
    expect(workspace.inputs).toMatchObject({ retentionInDays: 365, sku: { name: 'PerGB2018' } });
    expect(one(run, 'azure-native:monitor:DiagnosticSetting', 'payroll-audit-logs').inputs).toEqual({
      name: 'bulwark-audit',
      resourceUri: cluster.id,
      workspaceId: workspace.id,
      logAnalyticsDestinationType: 'Dedicated',
      logs: [
        { category: 'kube-audit', enabled: true },
        { category: 'kube-audit-admin', enabled: true },
        { category: 'guard', enabled: true },
      ],
    });
    expect(one(run, 'azure-native:monitor:DiagnosticSetting', 'payroll-kms-vault-audit').inputs).toMatchObject({
      resourceUri: vault.id,
      workspaceId: workspace.id,
      logs: [{ categoryGroup: 'audit', enabled: true }],
    });
  });

  it('has no local accounts: Entra ID with Azure RBAC, admins are groups that may also fetch the kubeconfig', () => {
    expect(cluster.inputs).toMatchObject({
      enableRBAC: true,
      disableLocalAccounts: true,
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: MOCK_TENANT_ID },
    });
    expect(assignmentsOf(ADMINS)).toEqual([
      ['payroll-admin-0', ROLE('b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'), cluster.id, 'Group'],
      ['payroll-admin-0-user', ROLE('4abbcc35-e782-43d8-92c5-2d3f1bd2253f'), cluster.id, 'Group'],
    ]);
  });

  it('turns on workload identity and the OIDC issuer, Cilium network policy, auto-upgrade and Azure Policy', () => {
    expect(cluster.inputs).toMatchObject({
      oidcIssuerProfile: { enabled: true },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataplane: 'cilium',
        networkPolicy: 'cilium',
      },
      autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
      addonProfiles: { azurepolicy: { enabled: true } },
      kubernetesVersion: '1.35',
    });
  });

  it('hardens every pool (encryption at host, no public IP, no SSH) with a separate, tainted system pool', () => {
    const hardening = {
      enableEncryptionAtHost: true,
      enableNodePublicIP: false,
      securityProfile: { sshAccess: 'Disabled' },
      vnetSubnetID: NODE_SUBNET,
      osSKU: 'AzureLinux',
      enableAutoScaling: true,
    };
    expect(cluster.inputs.agentPoolProfiles).toEqual([
      expect.objectContaining({
        name: 'system',
        mode: 'System',
        vmSize: 'Standard_D4ds_v5',
        count: 2,
        minCount: 2,
        maxCount: 3,
        osDiskSizeGB: 64,
        nodeTaints: ['CriticalAddonsOnly=true:NoSchedule'],
        nodeLabels: { 'bulwark.dev/node-group': 'system' },
        ...hardening,
      }),
    ]);
    const workers = one(run, 'azure-native:containerservice:AgentPool', 'payroll-workers');
    expect(workers.inputs).toMatchObject({
      agentPoolName: 'workers',
      resourceName: 'payroll-prod',
      mode: 'User',
      vmSize: 'Standard_D8ds_v5',
      count: 4,
      minCount: 3,
      maxCount: 12,
      nodeLabels: { 'bulwark.dev/node-group': 'workers' },
      ...hardening,
    });
    expect(workers.inputs.nodeTaints).toEqual([]);
    expect(
      run.resources.filter((r) => r.type === 'azure-native:containerservice:AgentPool').map((r) => r.name),
    ).toEqual(['payroll-workers', 'payroll-sensitive']);
  });

  it('labels and taints the isolated pool bulwark.dev/pool=sensitive:NoSchedule', () => {
    expect(one(run, 'azure-native:containerservice:AgentPool', 'payroll-sensitive').inputs).toMatchObject({
      agentPoolName: 'sensitive',
      mode: 'User',
      enableEncryptionAtHost: true,
      enableNodePublicIP: false,
      securityProfile: { sshAccess: 'Disabled' },
      nodeLabels: { 'bulwark.dev/node-group': 'sensitive', 'bulwark.dev/pool': 'sensitive' },
      nodeTaints: ['bulwark.dev/pool=sensitive:NoSchedule'],
    });
  });

  it('outputs a secret kubeconfig for the private FQDN that holds no credential (kubelogin with the Azure CLI)', async () => {
    expect(await kubeconfigIsSecret).toBe(true);
    const kubeconfig = JSON.parse(String(run.outputs.kubeconfig));
    expect(run.outputs.endpoint).toBe(cluster.state.privateFQDN);
    expect(kubeconfig.clusters[0].cluster.server).toBe(`https://${String(cluster.state.privateFQDN)}:443`);
    expect(String(cluster.state.privateFQDN)).toMatch(/\.privatelink\.westeurope\.azmk8s\.io$/);
    expect(kubeconfig.users[0].user.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'kubelogin',
      args: ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'],
      interactiveMode: 'Never',
    });
    expect(run.outputs.etcdKeyId).toBe(key.state.keyUriWithVersion);
  });

  it('schedules upgrades in the maintenance windows, lets the autoscaler own counts, and keeps the system pool creation-only', () => {
    const configs = run.resources.filter((r) => r.type === 'azure-native:containerservice:MaintenanceConfiguration');
    expect(configs.map((c) => c.inputs)).toEqual([
      {
        configName: 'aksManagedAutoUpgradeSchedule',
        resourceName: 'payroll-prod',
        resourceGroupName: 'payroll-prod-rg',
        maintenanceWindow: {
          schedule: { weekly: { dayOfWeek: 'Saturday', intervalWeeks: 1 } },
          durationHours: 6,
          startTime: '02:00',
          utcOffset: '+00:00',
        },
      },
      {
        configName: 'aksManagedNodeOSUpgradeSchedule',
        resourceName: 'payroll-prod',
        resourceGroupName: 'payroll-prod-rg',
        maintenanceWindow: {
          schedule: { weekly: { dayOfWeek: 'Sunday', intervalWeeks: 1 } },
          durationHours: 6,
          startTime: '02:00',
          utcOffset: '+00:00',
        },
      },
    ]);
    expect(one(run, 'azure-native:containerservice:AgentPool', 'payroll-workers').ignoreChanges).toEqual([
      'count',
      'nodeImageVersion',
    ]);
    expect(cluster.ignoreChanges).toEqual(['agentPoolProfiles']);
    expect(cluster.inputs.networkProfile).toMatchObject({ outboundType: 'loadBalancer' });
  });

  it('passes every AKS posture control', () => {
    const results = evaluatePosture(AKS_CONTROLS, new PlanView(run.resources));
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual([]);
    expect(results.map((r) => r.id)).toEqual([
      'aks-secrets-encryption',
      'aks-key-vault',
      'aks-disk-encryption',
      'aks-control-plane-identity',
      'aks-private-cluster',
      'aks-authorized-networks',
      'aks-audit-logs',
      'aks-entra-rbac',
      'aks-workload-identity',
      'aks-node-hardening',
      'aks-system-pool',
      'aks-network-policy',
      'aks-auto-upgrade',
      'aks-azure-policy',
      'aks-isolated-pools',
    ]);
  });
});

describe('HardenedAksCluster with GitOps, user-defined routing and a hub DNS zone', () => {
  it('installs Flux pulling the baseline, routes egress through the subnet, and registers the vault in the hub zone', async () => {
    const hubZone = `/subscriptions/${SUBSCRIPTION}/resourceGroups/hub-dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
    const run = await runUnderMocks(
      () => {
        new HardenedAksCluster('payroll', {
          ...ARGS,
          baselineApply: 'gitops',
          gitops: { url: 'https://github.com/acme/platform', branch: 'main', path: 'clusters/payroll-prod' },
          outboundType: 'userDefinedRouting',
          keyVaultDnsZoneId: hubZone,
        });
        return {};
      },
      {
        project: 'bulwark',
        stack: 'test',
        mocks: new PlanMocks(AKS_MOCKS, {
          ...CONTEXT,
          config: { ...CONTEXT.config, outboundType: 'userDefinedRouting' },
        }),
      },
    );
    expect(one(run, 'azure-native:kubernetesconfiguration:Extension', 'payroll-flux-extension').inputs).toMatchObject({
      clusterName: 'payroll-prod',
      clusterResourceName: 'managedClusters',
      clusterRp: 'Microsoft.ContainerService',
      extensionType: 'microsoft.flux',
    });
    expect(
      one(run, 'azure-native:kubernetesconfiguration:FluxConfiguration', 'payroll-flux-config').inputs,
    ).toMatchObject({
      sourceKind: 'GitRepository',
      scope: 'cluster',
      gitRepository: { url: 'https://github.com/acme/platform', repositoryRef: { branch: 'main' } },
      kustomizations: { baseline: { path: 'clusters/payroll-prod', prune: true } },
    });
    expect(
      one(run, 'azure-native:containerservice:ManagedCluster', 'payroll-cluster').inputs.networkProfile,
    ).toMatchObject({ outboundType: 'userDefinedRouting' });
    expect(run.resources.filter((r) => r.type === 'azure-native:privatedns:PrivateZone')).toEqual([]);
    expect(one(run, 'azure-native:network:PrivateDnsZoneGroup', 'payroll-kms-vault-endpoint-dns').inputs).toMatchObject(
      {
        privateDnsZoneConfigs: [{ name: 'vault', privateDnsZoneId: hubZone }],
      },
    );
  });
});

describe('AKS posture says fail when a registered setting is broken', () => {
  const patch =
    (
      type: string,
      change: (props: Record<string, unknown>) => Record<string, unknown>,
      name?: string,
    ): pulumi.ResourceTransformation =>
    (a) =>
      a.type === type && (name === undefined || a.name === name) ? { props: change(a.props), opts: a.opts } : undefined;
  const CLUSTER = 'azure-native:containerservice:ManagedCluster';
  /** Changes one input, which the SDK may already have wrapped in an Output (to fill in its defaults). */
  const edit =
    <T>(key: string, change: (value: T) => unknown) =>
    (p: Record<string, unknown>) => ({
      ...p,
      [key]: pulumi.output(p[key] as pulumi.Input<object>).apply((v) => change(v as T)),
    });
  type Obj = Record<string, unknown>;

  it.each([
    [
      'KMS turned off',
      patch(CLUSTER, (p) => ({ ...p, securityProfile: { workloadIdentity: { enabled: true } } })),
      ['aks-secrets-encryption', 'aks-control-plane-identity'],
    ],
    [
      'a key without a rotation policy',
      patch(
        'azure-native:keyvault:Key',
        edit<Obj>('properties', (v) => ({ ...v, rotationPolicy: undefined })),
      ),
      // The disk key loses its rotation too.
      ['aks-secrets-encryption', 'aks-disk-encryption'],
    ],
    [
      'no disk encryption set on the cluster',
      patch(CLUSTER, (p) => ({ ...p, diskEncryptionSetID: undefined })),
      ['aks-disk-encryption'],
    ],
    [
      'a disk encryption set with the platform key that does not follow key rotation',
      patch('azure-native:compute:DiskEncryptionSet', (p) => ({
        ...p,
        encryptionType: 'EncryptionAtRestWithPlatformKey',
        rotationToLatestKeyVersionEnabled: false,
      })),
      ['aks-disk-encryption'],
    ],
    [
      'the cluster identity made Contributor of the resource group instead of the disk encryption set',
      patch(
        'azure-native:authorization:RoleAssignment',
        (p) => ({ ...p, scope: `${RG}` }),
        'payroll-disk-encryption-cluster-contributor',
      ),
      ['aks-disk-encryption'],
    ],
    [
      "the disk encryption set's identity given no role on the disk key",
      patch(
        'azure-native:authorization:RoleAssignment',
        (p) => ({ ...p, roleDefinitionId: ROLE('21090545-7ca7-4776-b22c-e363652d74d2') }),
        'payroll-disk-encryption-key-encryption-user',
      ),
      ['aks-disk-encryption'],
    ],
    [
      'a vault open to public networks without purge protection',
      patch(
        'azure-native:keyvault:Vault',
        edit<Obj>('properties', (v) => ({ ...v, publicNetworkAccess: 'Enabled', enablePurgeProtection: false })),
      ),
      ['aks-key-vault'],
    ],
    [
      'the Crypto User role granted on another scope',
      patch(
        'azure-native:authorization:RoleAssignment',
        (p) => ({ ...p, scope: `${RG}` }),
        'payroll-kms-vault-etcd-key-crypto-user',
      ),
      ['aks-control-plane-identity'],
    ],
    [
      'run command enabled and a public FQDN',
      patch(
        CLUSTER,
        edit<Obj>('apiServerAccessProfile', (v) => ({
          ...v,
          disableRunCommand: false,
          enablePrivateClusterPublicFQDN: true,
        })),
      ),
      ['aks-private-cluster'],
    ],
    [
      'the API server opened to the internet on 443',
      patch(
        'azure-native:network:NetworkSecurityGroup',
        edit<Obj[]>('securityRules', (rules) => [
          {
            name: 'open',
            priority: 150,
            access: 'Allow',
            sourceAddressPrefix: '0.0.0.0/0',
            destinationPortRange: '443',
          },
          ...rules,
        ]),
      ),
      ['aks-authorized-networks'],
    ],
    [
      'audit logs kept 30 days',
      patch('azure-native:operationalinsights:Workspace', (p) => ({ ...p, retentionInDays: 30 })),
      ['aks-audit-logs'],
    ],
    ['local accounts enabled', patch(CLUSTER, (p) => ({ ...p, disableLocalAccounts: false })), ['aks-entra-rbac']],
    [
      'a user pool without encryption at host',
      patch(
        'azure-native:containerservice:AgentPool',
        (p) => ({ ...p, enableEncryptionAtHost: false }),
        'payroll-workers',
      ),
      ['aks-node-hardening'],
    ],
    [
      'the system pool untainted',
      patch(
        CLUSTER,
        edit<Obj[]>('agentPoolProfiles', (pools) => pools.map((pool) => ({ ...pool, nodeTaints: undefined }))),
      ),
      ['aks-system-pool'],
    ],
    [
      'no network policy, no upgrade channel, no Azure Policy',
      patch(CLUSTER, (p) => ({
        ...edit<Obj>('networkProfile', (v) => ({ ...v, networkPolicy: 'none' }))(p),
        autoUpgradeProfile: { upgradeChannel: 'none', nodeOSUpgradeChannel: 'None' },
        addonProfiles: {},
      })),
      ['aks-network-policy', 'aks-auto-upgrade', 'aks-azure-policy'],
    ],
    [
      'the isolated pool labelled but not tainted',
      patch('azure-native:containerservice:AgentPool', (p) => ({ ...p, nodeTaints: undefined }), 'payroll-sensitive'),
      ['aks-isolated-pools'],
    ],
  ])('%s', async (_what, transformation, failing) => {
    const broken = await runAks([transformation]);
    const results = evaluatePosture(AKS_CONTROLS, new PlanView(broken.resources));
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(failing);
  });
});
