import { execFile } from 'child_process';
import * as path from 'path';

// These run in fresh Node processes: a module cache that has seen nothing else, and no Jest watching for unhandled
// rejections (a failing Pulumi program rejects Outputs nobody awaits; Pulumi's runtime expects process handlers).
const ROOT = path.join(__dirname, '..', '..');

function node(code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--require', 'tsx/cjs', '-e', code],
      { cwd: ROOT, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lib = (p: string) => JSON.stringify(path.join(ROOT, 'lib', p));

/** Which cloud SDKs are in the module cache after `code` ran. */
async function sdksLoadedBy(code: string): Promise<string[]> {
  const out = await node(`
    (async () => {
      ${code}
      const sdks = new Set();
      for (const f of Object.keys(require.cache)) {
        const m = /node_modules[\\\\/]@pulumi[\\\\/](aws|gcp|azure-native|kubernetes)[\\\\/]/.exec(f);
        if (m) sdks.add(m[1]);
      }
      process.stdout.write(JSON.stringify([...sdks].sort()));
    })().catch((e) => { process.stderr.write(String(e && e.stack)); process.exit(3); });
  `);
  if (out.code !== 0) throw new Error(`child failed (${out.code}): ${out.stderr}`);
  return JSON.parse(out.stdout);
}

describe('cloud SDK isolation', () => {
  it('loads @pulumi/aws, never @pulumi/gcp or @pulumi/azure-native, for the EKS component', async () => {
    expect(await sdksLoadedBy(`require(${lib('cluster/eks')});`)).toEqual(['aws']);
  });

  it('loads @pulumi/gcp, never @pulumi/aws or @pulumi/azure-native, for the GKE component', async () => {
    expect(await sdksLoadedBy(`require(${lib('cluster/gke')});`)).toEqual(['gcp']);
  });

  it('loads @pulumi/azure-native, never @pulumi/aws or @pulumi/gcp, for the AKS component', async () => {
    expect(await sdksLoadedBy(`require(${lib('cluster/aks')});`)).toEqual(['azure-native']);
  });

  it('loads only the azure-native sub-modules the AKS component uses, never the 136 MB root', async () => {
    const out = await node(`
      require(${lib('cluster/aks')});
      const loaded = new Set();
      for (const f of Object.keys(require.cache)) {
        const m = /node_modules[\\/]@pulumi[\\/]azure-native[\\/](?:types[\\/]enums[\\/])?([^\\/]+)/.exec(f);
        if (m) loaded.add(m[1]);
      }
      process.stdout.write(JSON.stringify([...loaded].sort()));
    `);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual([
      'authorization',
      'compute',
      'containerservice',
      'keyvault',
      'kubernetesconfiguration',
      'managedidentity',
      'monitor',
      'network',
      'operationalinsights',
      'package.json',
      'privatedns',
      'provider.js',
      'resources',
      'utilities.js',
    ]);
  });

  it('loads no cloud SDK for the cloud-neutral pieces (config, posture, baseline, plan)', async () => {
    expect(await sdksLoadedBy(`require(${lib('cluster')});`)).toEqual(['kubernetes']);
  });

  it('loads only the SDK of the planned stack when planning it, and nothing for the CLI help', async () => {
    const planned = await sdksLoadedBy(`
      const { planStack } = require(${lib('cluster/plan/plan-stack')});
      const plan = await planStack('eks-prod', { cwd: ${JSON.stringify(ROOT)} });
      if (plan.resources.length < 30) throw new Error('planned only ' + plan.resources.length + ' resources');
    `);
    expect(planned).toEqual(['aws', 'kubernetes']);
    const plannedAks = await sdksLoadedBy(`
      const { planStack } = require(${lib('cluster/plan/plan-stack')});
      const plan = await planStack('aks-prod', { cwd: ${JSON.stringify(ROOT)} });
      if (plan.resources.length < 30) throw new Error('planned only ' + plan.resources.length + ' resources');
    `);
    expect(plannedAks).toEqual(['azure-native', 'kubernetes']);
    const help = await sdksLoadedBy(`
      const { main } = require(${lib('cli/main')});
      await main(['plan', '--help'], { stdout: () => {}, stderr: () => {}, readStdin: async () => '', cwd: '.' });
    `);
    expect(help).toEqual([]);
  }, 240_000);
});

describe('a program that fails under mocks', () => {
  /** Runs HardenedEksCluster with the subnet lookup answering `subnet` for the second subnet. */
  async function withSubnet(subnet: Record<string, unknown>): Promise<string> {
    const out = await node(`
      const { runUnderMocks } = require(${lib('cluster/plan/run-under-mocks')});
      const { PlanMocks } = require(${lib('cluster/plan/plan-mocks')});
      const { EKS_MOCKS } = require(${lib('cluster/eks/eks-mocks')});
      const { HardenedEksCluster } = require(${lib('cluster/eks/hardened-eks-cluster')});
      const args = {
        clusterName: 'payments-prod', region: 'eu-west-1', kubernetesVersion: '1.35', environment: 'prod', vpcId: 'vpc-0a1b2c3d4e5f67890',
        privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], authorizedNetworks: ['10.20.0.0/16'],
        adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'],
        nodeGroups: [{ name: 'system', machineType: 'm6i.large', minCount: 1, maxCount: 2, desiredCount: 1, diskSizeGb: 50 }],
      };
      const cloud = { ...EKS_MOCKS, invoke: (token, inputs, ctx) =>
        token === 'aws:ec2/getSubnet:getSubnet' && inputs.id === args.privateSubnetIds[1]
          ? { id: inputs.id, vpcId: args.vpcId, mapPublicIpOnLaunch: false, ...${JSON.stringify(subnet)} }
          : EKS_MOCKS.invoke(token, inputs, ctx) };
      runUnderMocks(() => { new HardenedEksCluster('pay', args); return {}; },
        { project: 'bulwark', stack: 'test', mocks: new PlanMocks(cloud, { region: 'eu-west-1', config: { vpcId: args.vpcId } }) })
        .then(() => process.stdout.write('no error'), (e) => process.stdout.write(e.name + ': ' + e.message));
    `);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    return out.stdout;
  }

  it('fails the deployment when a subnet maps public IPs on launch, with one clean cause', async () => {
    expect(await withSubnet({ mapPublicIpOnLaunch: true })).toBe(
      'MockRunError: the program failed under mocks:\n' +
        "  HardenedEksCluster 'pay': privateSubnetIds contains subnet-0a1b2c3d4e5f60002, which maps public IPs on launch " +
        '(mapPublicIpOnLaunch: true). Allowed: private subnets whose instances get no public address. Fix: list the ' +
        'private subnets of the VPC (reach the internet through a NAT gateway).',
    );
  });

  it('fails the deployment when a subnet belongs to another VPC', async () => {
    expect(await withSubnet({ vpcId: 'vpc-0ffffffffffffffff' })).toBe(
      'MockRunError: the program failed under mocks:\n' +
        "  HardenedEksCluster 'pay': privateSubnetIds contains subnet-0a1b2c3d4e5f60002 of vpc-0ffffffffffffffff, not of " +
        "vpcId vpc-0a1b2c3d4e5f67890. Allowed: subnets of the cluster's VPC. Fix: correct vpcId or the subnet list.",
    );
  });
});

describe('an AKS program that fails under mocks', () => {
  /** Runs HardenedAksCluster with the node subnet lookup answering `subnet`. */
  async function withNodeSubnet(subnet: Record<string, unknown>): Promise<string> {
    const out = await node(`
      const { runUnderMocks } = require(${lib('cluster/plan/run-under-mocks')});
      const { PlanMocks } = require(${lib('cluster/plan/plan-mocks')});
      const { AKS_MOCKS } = require(${lib('cluster/aks/aks-mocks')});
      const { HardenedAksCluster } = require(${lib('cluster/aks/hardened-aks-cluster')});
      const sub = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
      const args = {
        clusterName: 'payroll-prod', subscriptionId: sub, region: 'westeurope', kubernetesVersion: '1.35', environment: 'prod',
        maintenanceWindow: { days: ['Saturday', 'Sunday'], startHour: 2, durationHours: 6 }, baselineApply: 'in-program',
        nodeSubnetId: '/subscriptions/' + sub + '/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes',
        apiServerSubnetCidr: '10.50.255.0/28', authorizedNetworks: ['10.60.0.0/16'],
        adminGroupObjectIds: ['6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'],
        nodeGroups: [
          { name: 'system', machineType: 'Standard_D4ds_v5', minCount: 1, maxCount: 2, desiredCount: 1, diskSizeGb: 50 },
          { name: 'workers', machineType: 'Standard_D4ds_v5', minCount: 1, maxCount: 2, desiredCount: 1, diskSizeGb: 50 },
        ],
      };
      const cloud = { ...AKS_MOCKS, invoke: (token, inputs, ctx) =>
        token === 'azure-native:network:getSubnet'
          ? { ...AKS_MOCKS.invoke(token, inputs, ctx), ...${JSON.stringify(subnet)} }
          : AKS_MOCKS.invoke(token, inputs, ctx) };
      runUnderMocks(() => { new HardenedAksCluster('payroll', args); return {}; },
        { project: 'bulwark', stack: 'test', mocks: new PlanMocks(cloud, { region: 'westeurope', config: { subscriptionId: sub } }) })
        .then(() => process.stdout.write('no error'), (e) => process.stdout.write(e.name + ': ' + e.message));
    `);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    return out.stdout;
  }

  it('fails the deployment when the API server range overlaps the node subnet', async () => {
    expect(await withNodeSubnet({ addressPrefix: '10.50.0.0/16' })).toBe(
      'MockRunError: the program failed under mocks:\n' +
        "  HardenedAksCluster 'payroll': apiServerSubnetCidr 10.50.255.0/28 overlaps the node subnet 10.50.0.0/16. " +
        'Allowed: a free range of the VNet outside every subnet. Fix: pick another /28 of the VNet.',
    );
  });

  it('fails the deployment when the node subnet is delegated to another service', async () => {
    expect(
      await withNodeSubnet({
        addressPrefix: '10.50.0.0/22',
        delegations: [{ serviceName: 'Microsoft.Web/serverFarms' }],
      }),
    ).toBe(
      'MockRunError: the program failed under mocks:\n' +
        "  HardenedAksCluster 'payroll': nodeSubnetId /subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/net/" +
        'providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes is delegated to Microsoft.Web/serverFarms. ' +
        'Allowed: a subnet without delegations. Fix: give the nodes a subnet of their own.',
    );
  });
});
