import * as pulumi from '@pulumi/pulumi';
import { EKS_MOCKS } from '../../lib/cluster/eks/eks-mocks';
import { EKS_CONTROLS } from '../../lib/cluster/eks/eks-posture';
import { HardenedEksCluster, HardenedEksClusterArgs } from '../../lib/cluster/eks/hardened-eks-cluster';
import { eksVersion } from '../../lib/cluster/eks/eks-versions';
import { PlanMocks } from '../../lib/cluster/plan/plan-mocks';
import { MockRun, runUnderMocks } from '../../lib/cluster/plan/run-under-mocks';
import { PlannedResource, PlanView } from '../../lib/cluster/posture/planned-resource';
import { evaluatePosture } from '../../lib/cluster/posture/posture-control';

const ARGS: HardenedEksClusterArgs = {
  clusterName: 'payments-prod',
  region: 'eu-west-1',
  kubernetesVersion: '1.35',
  environment: 'prod',
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  authorizedNetworks: ['10.20.0.0/16'],
  adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'],
  nodeGroups: [
    { name: 'system', machineType: 'm6i.large', minCount: 2, maxCount: 4, desiredCount: 2, diskSizeGb: 50 },
    { name: 'arm', machineType: 'm7g.xlarge', minCount: 1, maxCount: 3, desiredCount: 1, diskSizeGb: 80 },
  ],
  isolatedPools: [
    { name: 'sensitive', machineType: 'm6i.large', minCount: 2, maxCount: 4, desiredCount: 2, diskSizeGb: 60 },
  ],
};

const CONTEXT = { region: ARGS.region, config: { vpcId: ARGS.vpcId } };

let kubeconfigIsSecret: Promise<boolean> | undefined;
let storageParameters: Promise<unknown> | undefined;

function runEks(transformations: pulumi.ResourceTransformation[] = []): Promise<MockRun> {
  return runUnderMocks(
    () => {
      const cluster = new HardenedEksCluster('pay', ARGS);
      kubeconfigIsSecret = pulumi.isSecret(cluster.kubeconfig);
      storageParameters = new Promise((resolve) => pulumi.output(cluster.storageClass.parameters).apply(resolve));
      return { kubeconfig: cluster.kubeconfig, endpoint: cluster.endpoint };
    },
    { project: 'bulwark', stack: 'test', mocks: new PlanMocks(EKS_MOCKS, CONTEXT), transformations },
  );
}

function one(run: MockRun, type: string, name: string): PlannedResource {
  const hits = run.resources.filter((r) => r.type === type && r.name === name);
  if (hits.length !== 1) throw new Error(`${hits.length} ${type} ${name} in ${run.resources.map((r) => r.name)}`);
  return hits[0];
}

describe('HardenedEksCluster guard', () => {
  it('refuses to be created when neither an engine nor mocks are attached (outputs would resolve to undefined)', () => {
    pulumi.runtime.resetOptions('', '', -1, '', '', false, '');
    expect(() => new HardenedEksCluster('early', ARGS)).toThrow(
      "bulwark:cluster:HardenedEksCluster 'early' was created with no Pulumi engine and no mocks attached: Pulumi would " +
        'drop its registration and every output would resolve to undefined. Create it inside a Pulumi program ' +
        '(pulumi up / preview), or after pulumi.runtime.setMocks(...) in a test; runUnderMocks() in lib/cluster/plan ' +
        'does both in that order.',
    );
  });
});

describe('HardenedEksCluster under mocks', () => {
  let run: MockRun;
  beforeAll(async () => {
    run = await runEks();
  });
  const arn = (r: PlannedResource) => r.state.arn;

  it('is a bulwark:cluster component of sub-components, every resource named after it, on an explicit regional provider', () => {
    const component = one(run, 'bulwark:cluster:HardenedEksCluster', 'pay');
    const view = new PlanView(run.resources);
    const descendants = run.resources.filter((r) => view.ancestors(r).includes(component));
    expect(descendants.length).toBe(run.resources.length - 2); // all but the stack and the component
    expect(descendants.every((c) => c.name.startsWith('pay-'))).toBe(true);
    const subComponents = descendants.filter((r) => !r.custom).map((r) => r.type.replace('bulwark:cluster:', ''));
    expect([...new Set(subComponents)].sort()).toEqual([
      'EksAddons',
      'EksClusterAccess',
      'EksClusterRole',
      'EksControlPlaneLogs',
      'EksKmsKey',
      'EksNodeGroup',
      'EksNodeRole',
    ]);
    const provider = one(run, 'pulumi:providers:aws', 'pay-aws');
    expect(provider.inputs.region).toBe('eu-west-1');
    const providerRef = `${provider.urn}::${provider.id}`;
    // Resources of sub-components inherit the provider from the component.
    expect(descendants.filter((c) => c.custom && c !== provider).every((c) => c.provider === providerRef)).toBe(true);
  });

  it('encrypts Secrets with a customer-managed key that rotates', () => {
    const key = one(run, 'aws:kms/key:Key', 'pay-secrets-key');
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const cluster = one(run, 'aws:eks/cluster:Cluster', 'pay-cluster');
    expect(cluster.inputs.encryptionConfig).toEqual({ provider: { keyArn: arn(key) }, resources: ['secrets'] });
    const kmsPolicy = JSON.parse(
      String(one(run, 'aws:iam/rolePolicy:RolePolicy', 'pay-cluster-role-kms').inputs.policy),
    );
    expect(kmsPolicy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: arn(key),
      },
    ]);
  });

  it('has a private endpoint only, reachable on 443 from the authorized networks', () => {
    const cluster = one(run, 'aws:eks/cluster:Cluster', 'pay-cluster');
    expect(cluster.inputs.vpcConfig).toEqual({
      subnetIds: ARGS.privateSubnetIds,
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    const rule = one(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'pay-access-api-ingress-0');
    expect(rule.inputs).toMatchObject({
      securityGroupId: (cluster.state.vpcConfig as { clusterSecurityGroupId: string }).clusterSecurityGroupId,
      cidrIpv4: '10.20.0.0/16',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
    });
  });

  it('sends every control-plane log type to a KMS-encrypted log group kept a year, created before the cluster', () => {
    const cluster = one(run, 'aws:eks/cluster:Cluster', 'pay-cluster');
    expect(cluster.inputs.enabledClusterLogTypes).toEqual([
      'api',
      'audit',
      'authenticator',
      'controllerManager',
      'scheduler',
    ]);
    const logsKey = one(run, 'aws:kms/key:Key', 'pay-control-plane-logs-key');
    const group = one(run, 'aws:cloudwatch/logGroup:LogGroup', 'pay-control-plane-logs');
    expect(group.inputs).toEqual({
      name: '/aws/eks/payments-prod/cluster',
      retentionInDays: 365,
      kmsKeyId: arn(logsKey),
    });
    expect(run.resources.indexOf(group)).toBeLessThan(run.resources.indexOf(cluster));
    expect(logsKey.inputs.enableKeyRotation).toBe(true);
    const policy = JSON.parse(String(logsKey.inputs.policy));
    expect(policy.Statement[1]).toEqual({
      Sid: 'CloudWatchLogsUsesForThisLogGroup',
      Effect: 'Allow',
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: {
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn':
            'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/payments-prod/cluster',
        },
      },
    });
  });

  it('uses access entries only, with cluster-admin for the configured roles', () => {
    const cluster = one(run, 'aws:eks/cluster:Cluster', 'pay-cluster');
    expect(cluster.inputs.accessConfig).toEqual({
      authenticationMode: 'API',
      bootstrapClusterCreatorAdminPermissions: false,
    });
    expect(one(run, 'aws:eks/accessEntry:AccessEntry', 'pay-access-admin-0').inputs).toEqual({
      clusterName: 'payments-prod',
      principalArn: ARGS.adminRoleArns[0],
      type: 'STANDARD',
    });
    expect(
      one(run, 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation', 'pay-access-admin-0-policy').inputs,
    ).toEqual({
      clusterName: 'payments-prod',
      principalArn: ARGS.adminRoleArns[0],
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      accessScope: { type: 'cluster' },
    });
  });

  it('sets up IRSA and gives the VPC CNI its own role, with network policy enforcement on', () => {
    const cluster = one(run, 'aws:eks/cluster:Cluster', 'pay-cluster');
    const issuer = (cluster.state.identities as { oidcs: { issuer: string }[] }[])[0].oidcs[0].issuer;
    const oidc = one(run, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider', 'pay-oidc');
    expect(oidc.inputs).toEqual({ url: issuer, clientIdLists: ['sts.amazonaws.com'] });
    const cniRole = one(run, 'aws:iam/role:Role', 'pay-addons-vpc-cni-role');
    const host = issuer.replace('https://', '');
    expect(JSON.parse(String(cniRole.inputs.assumeRolePolicy)).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: arn(oidc) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${host}:sub`]: 'system:serviceaccount:kube-system:aws-node',
            [`${host}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ]);
    expect(one(run, 'aws:eks/addon:Addon', 'pay-addons-vpc-cni').inputs).toMatchObject({
      addonName: 'vpc-cni',
      serviceAccountRoleArn: arn(cniRole),
      configurationValues: '{"enableNetworkPolicy":"true"}',
    });
    const nodeRole = one(run, 'aws:iam/role:Role', 'pay-node-role');
    const nodePolicies = run.resources
      .filter(
        (r) => r.type === 'aws:iam/rolePolicyAttachment:RolePolicyAttachment' && r.inputs.role === nodeRole.state.name,
      )
      .map((r) => r.inputs.policyArn);
    expect(nodePolicies).toEqual([
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
    ]);
  });

  it('runs node groups in the private subnets through launch templates with IMDSv2, hop limit 1, encrypted disks, no SSH', () => {
    for (const g of [...ARGS.nodeGroups, ...(ARGS.isolatedPools ?? [])]) {
      const lt = one(run, 'aws:ec2/launchTemplate:LaunchTemplate', `pay-${g.name}-lt`);
      expect(lt.inputs.metadataOptions).toEqual({
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      });
      expect(lt.inputs.blockDeviceMappings).toEqual([
        {
          deviceName: '/dev/xvda',
          ebs: { encrypted: 'true', volumeSize: g.diskSizeGb, volumeType: 'gp3', deleteOnTermination: 'true' },
        },
      ]);
      expect(lt.inputs.keyName).toBeUndefined();
      const ng = one(run, 'aws:eks/nodeGroup:NodeGroup', `pay-${g.name}`);
      expect(ng.inputs).toMatchObject({
        clusterName: 'payments-prod',
        nodeGroupNamePrefix: `${g.name}-`,
        version: '1.35',
        subnetIds: ARGS.privateSubnetIds,
        instanceTypes: [g.machineType],
        scalingConfig: { minSize: g.minCount, maxSize: g.maxCount, desiredSize: g.desiredCount },
        launchTemplate: { id: lt.id, version: '1' },
        nodeRoleArn: one(run, 'aws:iam/role:Role', 'pay-node-role').state.arn,
      });
      expect(ng.inputs.remoteAccess).toBeUndefined();
    }
    expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'pay-system').inputs.amiType).toBe('AL2023_x86_64_STANDARD');
    expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'pay-arm').inputs.amiType).toBe('AL2023_ARM_64_STANDARD');
  });

  it('labels and taints the isolated pool bulwark.dev/pool=sensitive:NoSchedule, and no other node group', () => {
    expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'pay-sensitive').inputs).toMatchObject({
      nodeGroupNamePrefix: 'sensitive-',
      labels: { 'bulwark.dev/node-group': 'sensitive', 'bulwark.dev/pool': 'sensitive' },
      taints: [{ key: 'bulwark.dev/pool', value: 'sensitive', effect: 'NO_SCHEDULE' }],
    });
    for (const g of ARGS.nodeGroups) {
      const ng = one(run, 'aws:eks/nodeGroup:NodeGroup', `pay-${g.name}`);
      expect(ng.inputs.labels).toEqual({ 'bulwark.dev/node-group': g.name });
      expect(ng.inputs.taints).toEqual([]);
    }
  });

  it('outputs a secret kubeconfig without credentials that assumes the first admin role', async () => {
    expect(await kubeconfigIsSecret).toBe(true);
    const cluster = one(run, 'aws:eks/cluster:Cluster', 'pay-cluster');
    const kubeconfig = JSON.parse(String(run.outputs.kubeconfig));
    expect(kubeconfig.clusters[0].cluster.server).toBe(cluster.state.endpoint);
    expect(kubeconfig.users[0].user.exec.args).toEqual([
      'eks',
      'get-token',
      '--cluster-name',
      'payments-prod',
      '--region',
      'eu-west-1',
      '--role-arn',
      ARGS.adminRoleArns[0],
    ]);
  });

  it('stays in standard support, with every EKS add-on managed and pinned to its version for 1.35', () => {
    const cluster = one(run, 'aws:eks/cluster:Cluster', 'pay-cluster');
    expect(cluster.inputs).toMatchObject({
      version: '1.35',
      upgradePolicy: { supportType: 'STANDARD' },
      bootstrapSelfManagedAddons: false,
      deletionProtection: true,
    });
    const addons = run.resources.filter((r) => r.type === 'aws:eks/addon:Addon');
    const pinned = Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
    expect(pinned).toEqual(eksVersion('1.35').addons);
    expect(Object.keys(pinned).sort()).toEqual(
      ['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni'].sort(),
    );
    for (const a of addons)
      expect(a.inputs).toMatchObject({ clusterName: 'payments-prod', resolveConflictsOnUpdate: 'OVERWRITE' });
  });

  it('gives the EBS CSI driver its own IRSA role that may use the volumes key, and offers an encrypted gp3 StorageClass', async () => {
    const volumesKey = one(run, 'aws:kms/key:Key', 'pay-volumes-key');
    expect(volumesKey.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const ebsRole = one(run, 'aws:iam/role:Role', 'pay-addons-ebs-csi-role');
    expect(JSON.stringify(JSON.parse(String(ebsRole.inputs.assumeRolePolicy)))).toContain(
      'system:serviceaccount:kube-system:ebs-csi-controller-sa',
    );
    expect(one(run, 'aws:eks/addon:Addon', 'pay-addons-aws-ebs-csi-driver').inputs.serviceAccountRoleArn).toBe(
      arn(ebsRole),
    );
    const keyPolicy = JSON.parse(
      String(one(run, 'aws:iam/rolePolicy:RolePolicy', 'pay-addons-ebs-csi-kms').inputs.policy),
    );
    expect(keyPolicy.Statement.map((st: { Resource: string }) => st.Resource)).toEqual([
      arn(volumesKey),
      arn(volumesKey),
    ]);
    expect(await storageParameters).toEqual({ type: 'gp3', encrypted: 'true', kmsKeyId: arn(volumesKey) });
  });

  it('leaves the node count to the autoscaler after creation (ignoreChanges on desiredSize)', () => {
    for (const g of [...ARGS.nodeGroups, ...(ARGS.isolatedPools ?? [])]) {
      expect(one(run, 'aws:eks/nodeGroup:NodeGroup', `pay-${g.name}`).ignoreChanges).toEqual([
        'scalingConfig.desiredSize',
      ]);
    }
  });

  it('passes every EKS posture control', () => {
    const results = evaluatePosture(EKS_CONTROLS, new PlanView(run.resources));
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual([]);
    expect(results.length).toBe(15);
  });
});

describe('HardenedEksCluster in a staging environment', () => {
  it('can be deleted (deletion protection on prod only)', async () => {
    const staging = await runUnderMocks(
      () => {
        new HardenedEksCluster('stg', { ...ARGS, clusterName: 'payments-staging', environment: 'staging' });
        return {};
      },
      { project: 'bulwark', stack: 'test', mocks: new PlanMocks(EKS_MOCKS, CONTEXT) },
    );
    expect(one(staging, 'aws:eks/cluster:Cluster', 'stg-cluster').inputs.deletionProtection).toBe(false);
  });
});

describe('EKS posture says fail when a registered setting is broken', () => {
  const flip =
    (
      type: string,
      change: (props: Record<string, unknown>) => Record<string, unknown>,
    ): pulumi.ResourceTransformation =>
    (a) =>
      a.type === type ? { props: change(a.props), opts: a.opts } : undefined;

  it.each([
    [
      'no encryptionConfig on the cluster',
      flip('aws:eks/cluster:Cluster', ({ encryptionConfig: _drop, ...rest }) => rest),
      ['eks-secrets-encryption'],
    ],
    [
      'the public endpoint on',
      flip('aws:eks/cluster:Cluster', (p) => ({
        ...p,
        vpcConfig: { ...(p.vpcConfig as object), endpointPublicAccess: true },
      })),
      ['eks-private-endpoint'],
    ],
    [
      'IMDSv1 allowed in the launch templates',
      flip('aws:ec2/launchTemplate:LaunchTemplate', (p) => ({
        ...p,
        metadataOptions: { ...(p.metadataOptions as object), httpTokens: 'optional' },
      })),
      ['eks-imdsv2'],
    ],
    [
      'the log key not rotated and the audit log type dropped',
      (a) =>
        a.name === 'pay-control-plane-logs-key' && a.type === 'aws:kms/key:Key'
          ? { props: { ...a.props, enableKeyRotation: false }, opts: a.opts }
          : a.type === 'aws:eks/cluster:Cluster'
            ? { props: { ...a.props, enabledClusterLogTypes: ['api'] }, opts: a.opts }
            : undefined,
      ['eks-audit-logs'],
    ],
    [
      'an SSH key on the nodes',
      flip('aws:ec2/launchTemplate:LaunchTemplate', (p) => ({ ...p, keyName: 'ops' })),
      ['eks-node-hardening'],
    ],
    [
      'the isolated pool without its taint',
      (a) =>
        a.name === 'pay-sensitive' && a.type === 'aws:eks/nodeGroup:NodeGroup'
          ? { props: { ...a.props, taints: undefined }, opts: a.opts }
          : undefined,
      ['eks-isolated-pools'],
    ],
    [
      'a shared node group tolerated by sensitive pods (taint without the label)',
      (a) =>
        a.name === 'pay-system' && a.type === 'aws:eks/nodeGroup:NodeGroup'
          ? {
              props: { ...a.props, taints: [{ key: 'bulwark.dev/pool', value: 'sensitive', effect: 'NO_SCHEDULE' }] },
              opts: a.opts,
            }
          : undefined,
      ['eks-isolated-pools'],
    ],
  ])('%s', async (_what, transformation, failing) => {
    const broken = await runEks([transformation]);
    const results = evaluatePosture(EKS_CONTROLS, new PlanView(broken.resources));
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(failing);
  });
});
