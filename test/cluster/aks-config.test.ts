import * as path from 'path';
import { parseSubnetId } from '../../lib/cluster/aks/aks-config';
import { validateClusterConfig } from '../../lib/cluster/program/cluster-config';
import { ConfigError } from '../../lib/cluster/config/config-error';
import { RawConfig } from '../../lib/cluster/config/config-reader';
import { readStackConfig } from '../../lib/cluster/config/stack-file';

const SOURCE = 'stacks/Pulumi.test.yaml';
const aks = readStackConfig(
  path.join(__dirname, '..', '..', 'stacks', 'Pulumi.aks-prod.yaml'),
  'stacks/Pulumi.aks-prod.yaml',
);
const SUBSCRIPTION = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const NODE_SUBNET = `/subscriptions/${SUBSCRIPTION}/resourceGroups/network-prod/providers/Microsoft.Network/virtualNetworks/platform-vnet/subnets/payroll-nodes`;

/** The problems of a refused config, one line each, without the header. */
function problems(raw: RawConfig): string[] {
  try {
    validateClusterConfig(raw, SOURCE);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split('\n').slice(1);
  }
  throw new Error('the config was accepted');
}

const API_CIDR_ALLOWED =
  'Allowed: an RFC 1918 range from /16 to /28 that is free in the node subnet\'s VNet, e.g. "10.20.255.0/28".';
const POOL_NAME_ALLOWED =
  'Allowed: lower-case letters and digits, starting with a letter, at most 12 characters (AKS agent pool names).';

describe('AKS stack config', () => {
  it('accepts the example AKS stack and fills the defaults', () => {
    expect(validateClusterConfig(aks, 'stacks/Pulumi.aks-prod.yaml')).toEqual({
      cloud: 'azure',
      clusterName: 'payroll-prod',
      region: 'westeurope',
      kubernetesVersion: '1.35',
      environment: 'prod',
      maintenanceWindow: { days: ['Saturday', 'Sunday'], startHour: 2, durationHours: 6 },
      baselineApply: 'gitops',
      gitops: { url: 'https://github.com/acme/platform-baselines', branch: 'main', path: 'clusters/payroll-prod' },
      outboundType: 'userDefinedRouting',
      kubeloginMode: 'azurecli',
      keyVaultDnsZoneId:
        '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/hub-dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net',
      authorizedNetworks: ['10.60.0.0/16', '10.50.8.0/24'],
      nodeGroups: [
        { name: 'system', machineType: 'Standard_D4ds_v5', minCount: 2, maxCount: 3, desiredCount: 2, diskSizeGb: 50 },
        {
          name: 'workers',
          machineType: 'Standard_D8ds_v5',
          minCount: 3,
          maxCount: 12,
          desiredCount: 3,
          diskSizeGb: 128,
        },
      ],
      isolatedPools: [
        {
          name: 'sensitive',
          machineType: 'Standard_D4ds_v5',
          minCount: 2,
          maxCount: 4,
          desiredCount: 2,
          diskSizeGb: 50,
        },
      ],
      namespaces: ['payroll', 'ledger'],
      exemptionGrants: [
        {
          namespace: 'ledger',
          selector: { matchLabels: { 'app.kubernetes.io/name': 'ledger-migrations' }, matchExpressions: [] },
          rule: 'workload-probes',
          reason: 'one-shot schema migration job, no port to probe',
          approver: 'platform-team (SEC-311)',
          expires: '2030-01-31T00:00:00Z',
        },
      ],
      subscriptionId: SUBSCRIPTION,
      nodeSubnetId: NODE_SUBNET,
      apiServerSubnetCidr: '10.50.255.0/28',
      adminGroupObjectIds: ['6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'],
    });
  });

  it('refuses a node subnet of another subscription, an API server range smaller than /28 and users as admins', () => {
    expect(
      problems({
        ...aks,
        nodeSubnetId: NODE_SUBNET.replace(SUBSCRIPTION, '11111111-2222-4333-8444-555555555555'),
        apiServerSubnetCidr: '10.50.255.0/29',
        adminGroupObjectIds: ['platform-admins'],
      }),
    ).toEqual([
      `  - config key 'bulwark:nodeSubnetId' received "${NODE_SUBNET.replace(SUBSCRIPTION, '11111111-2222-4333-8444-555555555555')}" (in subscription 11111111-2222-4333-8444-555555555555). Allowed: a subnet of subscription ${SUBSCRIPTION} (bulwark:subscriptionId). Fix: use a subnet of the cluster's subscription, or correct bulwark:subscriptionId`,
      `  - config key 'bulwark:apiServerSubnetCidr' received "10.50.255.0/29" (AKS delegates a private /28 or larger to the API server). ${API_CIDR_ALLOWED} Fix: reserve a free /28 of the VNet for the API server (AKS needs at least a /28)`,
      `  - config key 'bulwark:adminGroupObjectIds[0]' received "platform-admins". Allowed: an Entra ID group object id (a lower-case GUID); groups, not users. Fix: use the object id of a group (az ad group show --group <name> --query id); people join and leave the group`,
    ]);
  });

  it('refuses a subnet name instead of its resource id, public and misaligned API server ranges', () => {
    expect(problems({ ...aks, nodeSubnetId: 'payroll-nodes', apiServerSubnetCidr: '203.0.113.0/28' })).toEqual([
      `  - config key 'bulwark:nodeSubnetId' received "payroll-nodes" (not a subnet resource id). Allowed: a subnet resource id /subscriptions/<subscriptionId>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>. Fix: copy the id from az network vnet subnet show ... --query id`,
      `  - config key 'bulwark:apiServerSubnetCidr' received "203.0.113.0/28" (AKS delegates a private /28 or larger to the API server). ${API_CIDR_ALLOWED} Fix: reserve a free /28 of the VNet for the API server (AKS needs at least a /28)`,
    ]);
    expect(problems({ ...aks, apiServerSubnetCidr: '10.50.255.4/28' })).toEqual([
      `  - config key 'bulwark:apiServerSubnetCidr' received "10.50.255.4/28" (host bits set). ${API_CIDR_ALLOWED} Fix: use the network address "10.50.255.0/28"`,
    ]);
  });

  it('needs a "system" pool and another for the workloads, named as AKS agent pools', () => {
    const pool = (name: string) => ({ name, vmSize: 'Standard_D4ds_v5', minCount: 1, maxCount: 2 });
    expect(problems({ ...aks, nodeGroups: [pool('system-pool'), pool('workers')] })).toEqual([
      `  - config key 'bulwark:nodeGroups[0].name' received "system-pool". ${POOL_NAME_ALLOWED} Fix: name the group after its role, e.g. "system" or "workers"`,
    ]);
    expect(problems({ ...aks, nodeGroups: [pool('infra'), pool('workers')] })).toEqual([
      `  - config key 'bulwark:nodeGroups' received ["infra","workers"] (no "system" group). Allowed: a node group named "system" (the AKS system pool, tainted CriticalAddonsOnly) and at least one other. Fix: add {name: system, vmSize: Standard_D4ds_v5, minCount: 2, maxCount: 3}`,
    ]);
    expect(problems({ ...aks, nodeGroups: [pool('system')] })).toEqual([
      `  - config key 'bulwark:nodeGroups' received ["system"] (only the system pool, which is tainted so that workloads do not run on it). Allowed: a node group named "system" and at least one other for the workloads. Fix: add a group for the workloads, e.g. {name: workers, vmSize: Standard_D4ds_v5, minCount: 2, maxCount: 10}`,
    ]);
  });

  it('validates isolated pools like node groups, with names no node group uses', () => {
    expect(
      problems({
        ...aks,
        isolatedPools: [
          { name: 'workers', vmSize: 'Standard_D4ds_v5', minCount: 1, maxCount: 2 },
          { name: 'Sensitive', vmSize: 'D4', minCount: 0, maxCount: 2 },
        ],
      }),
    ).toEqual([
      `  - config key 'bulwark:isolatedPools[0].name' received "workers" (also the name of a node group). Allowed: a name no node group or other isolated pool uses (it becomes the bulwark.dev/pool label value). Fix: rename the pool after the workloads' isolation.pool, e.g. "sensitive"`,
      `  - config key 'bulwark:isolatedPools[1].name' received "Sensitive". ${POOL_NAME_ALLOWED} Fix: name the pool as its workloads' isolation.pool, e.g. "sensitive"`,
      `  - config key 'bulwark:isolatedPools[1].vmSize' received "D4". Allowed: a machine type such as "Standard_D4ds_v5". Fix: set vmSize: Standard_D4ds_v5`,
      `  - config key 'bulwark:isolatedPools[1].minCount' received 0 (less than 1). Allowed: a whole number from 1 to 1000. Fix: at least 1 node, so the pool's workloads can be scheduled; remove the pool when no workload needs it`,
    ]);
    expect(problems({ ...aks, isolatedPools: 'sensitive' })).toEqual([
      `  - config key 'bulwark:isolatedPools' received "sensitive" (not a list). Allowed: a list of dedicated pools {name, vmSize, minCount, maxCount}, each labelled and tainted bulwark.dev/pool=<name>:NoSchedule. Fix: write e.g. isolatedPools: [{name: sensitive, vmSize: Standard_D4ds_v5, minCount: 2, maxCount: 4}], or leave the key out`,
    ]);
    const { isolatedPools: _none, ...without } = aks;
    expect(validateClusterConfig(without, SOURCE).isolatedPools).toEqual([]);
  });

  it('lists every missing key of a bare Azure config', () => {
    const lines = problems({ cloud: 'azure' });
    expect(lines.map((l) => /'(bulwark:[^']+)'/.exec(l)?.[1])).toEqual([
      'bulwark:clusterName',
      'bulwark:region',
      'bulwark:kubernetesVersion',
      'bulwark:authorizedNetworks',
      'bulwark:nodeGroups',
      'bulwark:environment',
      'bulwark:namespaces',
      'bulwark:gitops',
      'bulwark:subscriptionId',
      'bulwark:nodeSubnetId',
      'bulwark:apiServerSubnetCidr',
      'bulwark:adminGroupObjectIds',
    ]);
    expect(lines.every((l) => l.includes('received nothing (required)'))).toBe(true);
    expect(lines[0]).toContain('at most 15 characters');
  });

  it('splits subnet resource ids', () => {
    expect(parseSubnetId(NODE_SUBNET)).toEqual({
      subscriptionId: SUBSCRIPTION,
      resourceGroupName: 'network-prod',
      virtualNetworkName: 'platform-vnet',
      subnetName: 'payroll-nodes',
      virtualNetworkId: NODE_SUBNET.slice(0, NODE_SUBNET.indexOf('/subnets/')),
    });
    expect(parseSubnetId(NODE_SUBNET.replace('/subnets/payroll-nodes', ''))).toBeUndefined();
  });
});
