import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { Environment, NodeGroupConfig, StorageClassSpec } from '../contracts/cloud-contracts';
import { EksAddons } from './eks-addons';
import { EksClusterAccess } from './eks-cluster-access';
import { EksClusterRole } from './eks-cluster-role';
import { EKS_CONTROL_PLANE_LOG_TYPES, EksControlPlaneLogs } from './eks-control-plane-logs';
import { eksKubeconfig } from './eks-kubeconfig';
import { EksNodeGroup } from './eks-node-group';
import { EksNodeRole } from './eks-node-role';
import { eksContainerLogGroups, EksLogShipping } from './eks-log-shipping';
import { EksKmsKey } from './eks-secrets-key';
import { eksVersion } from './eks-versions';

export { EKS_CONTROL_PLANE_LOG_TYPES, EKS_LOG_RETENTION_DAYS } from './eks-control-plane-logs';

/** What a team chooses. Everything that makes the cluster hardened is fixed below and is not an input. */
export interface HardenedEksClusterArgs {
  readonly clusterName: string;
  readonly region: string;
  /** Kubernetes minor version, one of EKS_VERSIONS (e.g. `1.35`). */
  readonly kubernetesVersion: string;
  /** `prod` clusters cannot be deleted until deletion protection is turned off in a reviewed change. */
  readonly environment: Environment;
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
  /** Container and node logs to CloudWatch through the amazon-cloudwatch-observability add-on (bulwark:addons). */
  readonly logShipping?: boolean;
}

/** The default StorageClass's volumes: gp3, encrypted with the cluster's volumes key through the EBS CSI driver. */
export const EKS_STORAGE_PROVISIONER = 'ebs.csi.aws.com';

/**
 * A hardened Amazon EKS cluster built from plain `@pulumi/aws` resources (not the remote `@pulumi/eks` component, whose
 * defaults leave the public endpoint on and the control-plane logs off), composed of sub-components: the Secrets key,
 * the control-plane logs, the cluster and node roles, the access rules, the managed add-ons and one component per node
 * group. Secrets are encrypted with a customer-managed KMS key, the API endpoint is private, every control-plane log
 * type goes to a KMS-encrypted log group kept a year, access entries replace aws-auth, IRSA, VPC CNI network policy
 * enforcement, managed add-ons pinned per Kubernetes version, standard support only, and managed node groups in
 * private subnets with IMDSv2 only, encrypted root volumes and no SSH.
 */
export class HardenedEksCluster extends BulwarkComponent {
  public readonly clusterName: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  /** Kubeconfig using `aws eks get-token` for the first admin role; a secret. */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly secretsKeyArn: pulumi.Output<string>;
  public readonly logsKeyArn: pulumi.Output<string>;
  public readonly volumesKeyArn: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The encrypted default StorageClass the baseline installs. */
  public readonly storageClass: StorageClassSpec;

  constructor(name: string, args: HardenedEksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('HardenedEksCluster', name, opts);
    const version = eksVersion(args.kubernetesVersion);

    // An explicit provider: the region comes from the stack's bulwark:region, never from ambient aws:region config.
    // Children inherit it from this component.
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
    const secretsKey = new EksKmsKey(
      `${name}-secrets-key`,
      { description: `EKS secrets envelope encryption for ${args.clusterName}` },
      child,
    );
    // Persistent volumes of the default StorageClass, encrypted with a key of their own.
    const volumesKey = new EksKmsKey(
      `${name}-volumes-key`,
      { description: `EBS volumes of ${args.clusterName} (default StorageClass)` },
      child,
    );
    // CIS EKS 2.1.1 / 2.1.2: control-plane logs kept for a year in a log group encrypted with its own key.
    const logs = new EksControlPlaneLogs(
      `${name}-control-plane-logs`,
      {
        clusterName: args.clusterName,
        region: args.region,
        account,
        partition,
        // The same key encrypts the Container Insights log groups of log shipping.
        ...(args.logShipping ? { alsoLogGroups: eksContainerLogGroups(args.clusterName) } : {}),
      },
      child,
    );
    const clusterRole = new EksClusterRole(`${name}-cluster-role`, { partition, secretsKeyArn: secretsKey.arn }, child);
    const subnetIds = checkedPrivateSubnets(name, args, child);

    const clusterArgs: aws.eks.ClusterArgs = {
      name: args.clusterName,
      version: version.version,
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
      // implicit, invisible cluster-admin: admins are the access entries (EKS best practices, IAM; CIS EKS 4.1.7).
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      // Standard support only: a version past it is upgraded by EKS rather than kept on billed extended support,
      // and config validation refuses versions outside EKS_VERSIONS before that can happen.
      upgradePolicy: { supportType: 'STANDARD' },
      // EKS installs no unmanaged coredns / kube-proxy / vpc-cni: each is a managed add-on below, pinned and upgraded
      // by EKS (terraform-aws-eks v21 does the same).
      bootstrapSelfManagedAddons: false,
      // Production clusters cannot be deleted by a stray `pulumi destroy`; throwaway environments can.
      deletionProtection: args.environment === 'prod',
      tags: { 'bulwark:environment': args.environment },
    };
    const cluster = new aws.eks.Cluster(`${name}-cluster`, clusterArgs, {
      ...child,
      dependsOn: [logs.logGroup, ...clusterRole.ready],
    });
    const clusterSecurityGroupId = cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? '');

    new EksClusterAccess(
      `${name}-access`,
      {
        clusterName: cluster.name,
        partition,
        clusterSecurityGroupId,
        authorizedNetworks: args.authorizedNetworks,
        adminRoleArns: args.adminRoleArns,
      },
      child,
    );

    // CIS EKS 5.2.1: IRSA, so pods get their own IAM roles instead of the node role.
    const issuer = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? '');
    const oidcArgs: aws.iam.OpenIdConnectProviderArgs = { url: issuer, clientIdLists: ['sts.amazonaws.com'] };
    const oidc = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, oidcArgs, child);

    const addons = new EksAddons(
      `${name}-addons`,
      {
        clusterName: cluster.name,
        version,
        account,
        partition,
        oidcProviderArn: oidc.arn,
        issuerHost: issuer.apply((u) => u.replace(/^https:\/\//, '')),
        volumesKeyArn: volumesKey.arn,
      },
      child,
    );
    const nodeRole = new EksNodeRole(`${name}-node-role`, { partition }, child);
    const groups = [
      ...args.nodeGroups.map((group) => ({ group, isolated: false })),
      ...(args.isolatedPools ?? []).map((group) => ({ group, isolated: true })),
    ];
    const nodeGroups = groups.map(
      ({ group, isolated }) =>
        new EksNodeGroup(
          `${name}-${group.name}`,
          {
            clusterName: cluster.name,
            group,
            isolated,
            nodeRoleArn: nodeRole.arn,
            subnetIds,
            kubernetesVersion: version.version,
            description: `Hardened nodes of ${args.clusterName}/${group.name}`,
          },
          { ...child, dependsOn: [...nodeRole.ready, addons.vpcCni] },
        ),
    );
    if (args.logShipping) {
      // The agent is a DaemonSet: EKS reports the add-on active once it runs on nodes.
      new EksLogShipping(
        `${name}-log-shipping`,
        {
          clusterName: args.clusterName,
          cluster: cluster.name,
          version,
          partition,
          oidcProviderArn: oidc.arn,
          issuerHost: issuer.apply((u) => u.replace(/^https:\/\//, '')),
          logsKeyArn: logs.keyArn,
        },
        { ...child, dependsOn: nodeGroups },
      );
    }

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.secretsKeyArn = secretsKey.arn;
    this.logsKeyArn = logs.keyArn;
    this.volumesKeyArn = volumesKey.arn;
    this.oidcProviderArn = oidc.arn;
    this.clusterSecurityGroupId = clusterSecurityGroupId;
    this.storageClass = {
      provisioner: EKS_STORAGE_PROVISIONER,
      parameters: volumesKey.arn.apply((kmsKeyId) => ({ type: 'gp3', encrypted: 'true', kmsKeyId })),
    };
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
      volumesKeyArn: this.volumesKeyArn,
      oidcProviderArn: this.oidcProviderArn,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
    });
  }
}

/**
 * CIS EKS 5.4.3: nodes and API ENIs in private subnets. Checked at deploy time: a subnet that maps public IPs on launch,
 * or that belongs to another VPC, fails the deployment before anything is placed in it.
 */
function checkedPrivateSubnets(
  name: string,
  args: HardenedEksClusterArgs,
  opts: pulumi.InvokeOptions,
): pulumi.Output<string[]> {
  return pulumi.all(args.privateSubnetIds.map((id) => aws.ec2.getSubnetOutput({ id }, opts))).apply((subnets) => {
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
}
