import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { NodeGroupConfig } from '../config/common-config';
import { isolatedPoolLabels, isolatedPoolTaint } from '../node-pool-taints';
import { eksKubeconfig } from './eks-kubeconfig';

/** What a team chooses. Everything that makes the cluster hardened is fixed below and is not an input. */
export interface HardenedEksClusterArgs {
  readonly clusterName: string;
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  readonly kubernetesVersion: string;
  readonly vpcId: string;
  /** Private subnets in at least two availability zones; checked at deploy time to map no public IPs. */
  readonly privateSubnetIds: readonly string[];
  /** Networks allowed to reach the private API endpoint on 443 (VPN, bastion, CI runners). */
  readonly authorizedNetworks: readonly string[];
  /** IAM roles given cluster-admin through access entries; the first is assumed by the kubeconfig. */
  readonly adminRoleArns: readonly string[];
  readonly nodeGroups: readonly NodeGroupConfig[];
  /**
   * Dedicated node groups for sensitive workloads, hardened like the others and labelled and tainted
   * `bulwark.dev/pool=<name>:NoSchedule` (what `isolation: { pool: <name> }` selects and tolerates).
   */
  readonly isolatedPools?: readonly NodeGroupConfig[];
}

/** Every control-plane log type EKS can send to CloudWatch (CIS EKS 2.1.1 asks for all of them). */
export const EKS_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** CloudWatch retention of the control-plane logs: one year, the usual audit-trail requirement. */
export const EKS_LOG_RETENTION_DAYS = 365;

const EKS_CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/** Graviton instance families (m7g, c6gn, t4g, ...) need the arm64 AMI. */
function amiTypeFor(instanceType: string): string {
  return /^[a-z]+\d+g/.test(instanceType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

function policyDocument(statements: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * A hardened Amazon EKS cluster built from plain `@pulumi/aws` resources (not the remote `@pulumi/eks` component, whose
 * defaults leave the public endpoint on and the control-plane logs off):
 * secrets encrypted with a customer-managed KMS key, a private-only API endpoint, every control-plane log type in a
 * KMS-encrypted CloudWatch log group kept a year, access entries instead of aws-auth, IRSA, VPC CNI network policy
 * enforcement, and managed node groups in private subnets with IMDSv2 only, encrypted root volumes and no SSH.
 */
export class HardenedEksCluster extends BulwarkComponent {
  public readonly clusterName: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  /** Kubeconfig using `aws eks get-token` for the first admin role; a secret. */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly secretsKeyArn: pulumi.Output<string>;
  public readonly logsKeyArn: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  public readonly clusterSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: HardenedEksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('HardenedEksCluster', name, opts);

    // An explicit provider: the region comes from the stack's bulwark:region, never from ambient aws:region config.
    const provider = new aws.Provider(
      `${name}-aws`,
      {
        region: args.region as aws.Region,
        defaultTags: { tags: { 'bulwark:cluster': args.clusterName, 'managed-by': 'bulwark' } },
      },
      { parent: this },
    );
    const child = { parent: this, provider };
    const account = aws.getCallerIdentityOutput({}, child).accountId;
    const partition = aws.getPartitionOutput({}, child).partition;

    // CIS EKS 5.3.1: Kubernetes Secrets encrypted (envelope) with a customer-managed KMS key, rotated yearly.
    const secretsKey = new aws.kms.Key(
      `${name}-secrets-key`,
      {
        description: `EKS secrets envelope encryption for ${args.clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      },
      child,
    );

    // The log group is encrypted with its own key, which CloudWatch Logs may use only for this cluster's log group.
    const logGroupName = `/aws/eks/${args.clusterName}/cluster`;
    const logsKey = new aws.kms.Key(
      `${name}-logs-key`,
      {
        description: `CloudWatch Logs encryption for ${logGroupName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.all([account, partition]).apply(([acct, part]) =>
          policyDocument([
            {
              Sid: 'AccountAdministers',
              Effect: 'Allow',
              Principal: { AWS: `arn:${part}:iam::${acct}:root` },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Sid: 'CloudWatchLogsUsesForThisLogGroup',
              Effect: 'Allow',
              Principal: { Service: `logs.${args.region}.amazonaws.com` },
              Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
              Resource: '*',
              Condition: {
                ArnEquals: {
                  'kms:EncryptionContext:aws:logs:arn': `arn:${part}:logs:${args.region}:${acct}:log-group:${logGroupName}`,
                },
              },
            },
          ]),
        ),
      },
      child,
    );

    // CIS EKS 2.1.1: control-plane logs kept for a year. Created before the cluster under the name EKS writes to,
    // so that EKS does not create its own group without encryption and with infinite-but-unmanaged retention.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      { name: logGroupName, retentionInDays: EKS_LOG_RETENTION_DAYS, kmsKeyId: logsKey.arn },
      child,
    );

    const clusterRole = new aws.iam.Role(
      `${name}-cluster-role`,
      {
        assumeRolePolicy: policyDocument([
          {
            Effect: 'Allow',
            Principal: { Service: 'eks.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
          },
        ]),
      },
      child,
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-cluster-policy`,
      {
        role: clusterRole.name,
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
      },
      child,
    );
    // The cluster role may use the secrets key and nothing else in KMS.
    const clusterKmsPolicy = new aws.iam.RolePolicy(
      `${name}-cluster-kms`,
      {
        role: clusterRole.id,
        policy: secretsKey.arn.apply((arn) =>
          policyDocument([
            {
              Effect: 'Allow',
              Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
              Resource: arn,
            },
          ]),
        ),
      },
      child,
    );

    // CIS EKS 5.4.3: nodes and API ENIs in private subnets. Checked at deploy time: a subnet that maps public IPs on
    // launch, or that belongs to another VPC, fails the deployment before anything is placed in it.
    const subnetIds = pulumi
      .all(args.privateSubnetIds.map((id) => aws.ec2.getSubnetOutput({ id }, child)))
      .apply((subnets) => {
        for (const s of subnets) {
          if (s.mapPublicIpOnLaunch) {
            throw new Error(
              `HardenedEksCluster '${name}': privateSubnetIds contains ${s.id}, which maps public IPs on launch ` +
                '(mapPublicIpOnLaunch: true). Allowed: private subnets whose instances get no public address. ' +
                'Fix: list the private subnets of the VPC (reach the internet through a NAT gateway).',
            );
          }
          if (s.vpcId !== args.vpcId) {
            throw new Error(
              `HardenedEksCluster '${name}': privateSubnetIds contains ${s.id} of ${s.vpcId}, not of vpcId ` +
                `${args.vpcId}. Allowed: subnets of the cluster's VPC. Fix: correct vpcId or the subnet list.`,
            );
          }
        }
        return subnets.map((s) => s.id);
      });

    const cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: args.clusterName,
        version: args.kubernetesVersion,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds,
          // CIS EKS 5.4.2: private endpoint on, public endpoint off. @pulumi/eks leaves the public endpoint open.
          endpointPrivateAccess: true,
          endpointPublicAccess: false,
        },
        // CIS EKS 5.3.1: envelope encryption of Secrets with the customer-managed key.
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ['secrets'] },
        // CIS EKS 2.1.1: every control-plane log type; @pulumi/eks enables none by default.
        enabledClusterLogTypes: EKS_CONTROL_PLANE_LOG_TYPES,
        // Access entries only (the aws-auth ConfigMap is not consulted), and the identity running Pulumi gets no
        // implicit, invisible cluster-admin: admins are the access entries below (EKS best practices, IAM).
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        deletionProtection: true,
      },
      { ...child, dependsOn: [logGroup, clusterPolicy, clusterKmsPolicy] },
    );
    const clusterSecurityGroupId = cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? '');

    // CIS EKS 5.4.1: the private endpoint is reachable from the authorized networks only (and from the nodes, which
    // share the cluster security group).
    args.authorizedNetworks.forEach((cidr, i) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-api-ingress-${i}`,
        {
          securityGroupId: clusterSecurityGroupId,
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          description: `Kubernetes API from authorized network ${cidr}`,
        },
        child,
      );
    });

    args.adminRoleArns.forEach((principalArn, i) => {
      const entry = new aws.eks.AccessEntry(
        `${name}-admin-${i}`,
        { clusterName: cluster.name, principalArn, type: 'STANDARD' },
        child,
      );
      new aws.eks.AccessPolicyAssociation(
        `${name}-admin-${i}-policy`,
        {
          clusterName: cluster.name,
          principalArn,
          policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/${EKS_CLUSTER_ADMIN_POLICY}`,
          accessScope: { type: 'cluster' },
        },
        { ...child, dependsOn: [entry] },
      );
    });

    // CIS EKS 5.2.1: IRSA, so pods get their own IAM roles instead of the node role.
    const issuer = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? '');
    const oidc = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: issuer, clientIdLists: ['sts.amazonaws.com'] },
      child,
    );

    // The VPC CNI's AWS permissions go to its own service account through IRSA, not to every pod via the node role.
    const issuerHost = issuer.apply((u) => u.replace(/^https:\/\//, ''));
    const cniRole = new aws.iam.Role(
      `${name}-vpc-cni-role`,
      {
        assumeRolePolicy: pulumi.all([oidc.arn, issuerHost]).apply(([arn, host]) =>
          policyDocument([
            {
              Effect: 'Allow',
              Principal: { Federated: arn },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  [`${host}:sub`]: 'system:serviceaccount:kube-system:aws-node',
                  [`${host}:aud`]: 'sts.amazonaws.com',
                },
              },
            },
          ]),
        ),
      },
      child,
    );
    const cniPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-vpc-cni-policy`,
      { role: cniRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonEKS_CNI_Policy` },
      child,
    );
    // CIS EKS 5.4.4: NetworkPolicy enforced by the VPC CNI's network policy agent; without it the baseline's
    // default-deny policies would be accepted and ignored.
    const vpcCni = new aws.eks.Addon(
      `${name}-vpc-cni`,
      {
        clusterName: cluster.name,
        addonName: 'vpc-cni',
        serviceAccountRoleArn: cniRole.arn,
        configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
      },
      { ...child, dependsOn: [cniPolicy] },
    );

    const nodeRole = new aws.iam.Role(
      `${name}-node-role`,
      {
        assumeRolePolicy: policyDocument([
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ]),
      },
      child,
    );
    // No AmazonEKS_CNI_Policy here: the CNI has its own role above.
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly'].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
          child,
        ),
    );

    const groups = [
      ...args.nodeGroups.map((group) => ({ group, isolated: false })),
      ...(args.isolatedPools ?? []).map((group) => ({ group, isolated: true })),
    ];
    for (const { group, isolated } of groups) {
      const template = new aws.ec2.LaunchTemplate(
        `${name}-${group.name}-lt`,
        {
          description: `Hardened nodes of ${args.clusterName}/${group.name}`,
          // IMDSv2 only, and a hop limit of 1 so that pods (one hop further) cannot reach the node's credentials
          // (EKS best practices: restrict access to the instance profile; NSA/CISA: protect node credentials).
          metadataOptions: {
            httpEndpoint: 'enabled',
            httpTokens: 'required',
            httpPutResponseHopLimit: 1,
            instanceMetadataTags: 'disabled',
          },
          // Encrypted root volume (EBS encryption with the account's KMS key); /dev/xvda is the AL2023 root device.
          blockDeviceMappings: [
            {
              deviceName: '/dev/xvda',
              ebs: { encrypted: 'true', volumeSize: group.diskSizeGb, volumeType: 'gp3', deleteOnTermination: 'true' },
            },
          ],
          // No keyName: no SSH key pair on the nodes. Use SSM Session Manager when a node must be inspected.
          updateDefaultVersion: true,
        },
        child,
      );
      new aws.eks.NodeGroup(
        `${name}-${group.name}`,
        {
          clusterName: cluster.name,
          nodeGroupName: group.name,
          nodeRoleArn: nodeRole.arn,
          subnetIds,
          instanceTypes: [group.machineType],
          amiType: amiTypeFor(group.machineType),
          capacityType: 'ON_DEMAND',
          scalingConfig: { minSize: group.minCount, maxSize: group.maxCount, desiredSize: group.desiredCount },
          launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
          updateConfig: { maxUnavailable: 1 },
          nodeRepairConfig: { enabled: true },
          labels: { 'bulwark.dev/node-group': group.name, ...(isolated ? isolatedPoolLabels(group.name) : {}) },
          // Only pods tolerating the pool's taint are scheduled on an isolated pool (NSA/CISA: separate workloads).
          ...(isolated ? { taints: [isolatedPoolTaint(group.name)] } : {}),
          // No remoteAccess: managed node groups open SSH (port 22) only when it is set.
        },
        { ...child, dependsOn: [...nodePolicies, vpcCni] },
      );
    }

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.secretsKeyArn = secretsKey.arn;
    this.logsKeyArn = logsKey.arn;
    this.oidcProviderArn = oidc.arn;
    this.clusterSecurityGroupId = clusterSecurityGroupId;
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([clusterName, endpoint, ca]) =>
        eksKubeconfig({
          clusterName,
          endpoint,
          certificateAuthority: ca.data ?? '',
          region: args.region,
          roleArn: args.adminRoleArns[0],
        }),
      ),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      secretsKeyArn: this.secretsKeyArn,
      logsKeyArn: this.logsKeyArn,
      oidcProviderArn: this.oidcProviderArn,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
    });
  }
}
