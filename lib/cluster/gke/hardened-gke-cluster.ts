import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type {
  BaselineApplyPath,
  Environment,
  MaintenanceWindow,
  NodeGroupConfig,
  StorageClassSpec,
} from '../contracts/cloud-contracts';
import { GkeAuditLogging } from './gke-audit-logging';
import { GkeBinaryAuthorization } from './gke-binary-authorization';
import { GkeKeys } from './gke-keys';
import { gkeKubeconfig } from './gke-kubeconfig';
import { gkeRecurringWindow } from './gke-maintenance';
import { GkeNodePool, hardenedNodeConfig } from './gke-node-pool';
import { GkeNodeServiceAccount } from './gke-node-service-account';

export { GKE_DATA_ACCESS_LOG_TYPES, GKE_LOG_RETENTION_DAYS } from './gke-audit-logging';
export { GKE_KEY_ROTATION_PERIOD } from './gke-keys';
export { GKE_NODE_ROLES } from './gke-node-service-account';

/** What a team chooses. Everything that makes the cluster hardened is fixed below and is not an input. */
export interface HardenedGkeClusterArgs {
  readonly clusterName: string;
  readonly project: string;
  readonly region: string;
  /** Kubernetes minor version, one of GKE_VERSIONS; the release channel moves patches forward. */
  readonly kubernetesVersion: string;
  /** `prod` clusters get deletion protection. */
  readonly environment: Environment;
  readonly maintenanceWindow: MaintenanceWindow;
  readonly network: string;
  readonly subnetwork: string;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;
  /** RFC 1918 /28 for the control plane. */
  readonly masterCidr: string;
  /** Networks allowed to reach the private endpoint (master authorized networks). */
  readonly authorizedNetworks: readonly string[];
  readonly nodeGroups: readonly NodeGroupConfig[];
  /**
   * Dedicated node pools for sensitive workloads, hardened like the others and labelled and tainted
   * `bulwark.dev/pool=<name>:NoSchedule` (what `isolation: { pool: <name> }` selects and tolerates).
   */
  readonly isolatedPools?: readonly NodeGroupConfig[];
  /** Whether this stack creates the project's audit config and Binary Authorization policy (one stack per project). */
  readonly projectPolicies: 'managed' | 'external';
  /**
   * `in-program` reaches the control plane through its DNS-based endpoint (IAM-authorized, no network path into the
   * VPC needed); the other paths keep that endpoint closed to traffic from outside Google Cloud.
   */
  readonly baselineApply: BaselineApplyPath;
  /** Images the Binary Authorization policy admits; default: the project's Artifact Registry in the region. */
  readonly trustedImagePatterns?: readonly string[];
}

/** Control-plane and node logs sent to Cloud Logging; APISERVER, CONTROLLER_MANAGER and SCHEDULER are opt-in. */
export const GKE_LOGGING_COMPONENTS = [
  'SYSTEM_COMPONENTS',
  'WORKLOADS',
  'APISERVER',
  'CONTROLLER_MANAGER',
  'SCHEDULER',
];
/** The default StorageClass's volumes: PD CSI balanced disks encrypted with the cluster's volumes key. */
export const GKE_STORAGE_PROVISIONER = 'pd.csi.storage.gke.io';

/**
 * A hardened Google Kubernetes Engine cluster that meets or beats the safer-cluster module setting by setting, made of
 * sub-components (keys, node service account, audit logging, Binary Authorization policy, node pools): Secrets and
 * disks encrypted with Cloud KMS keys that rotate, private nodes and a private endpoint behind master authorized
 * networks (and a DNS endpoint governed by IAM when the baseline is applied in-program), API server and Data Access
 * audit logs kept a year, no client certificate and no legacy ABAC, shielded COS nodes with secure boot and integrity
 * monitoring, Workload Identity with the GKE metadata server, Dataplane V2, a release channel with maintenance windows,
 * no alpha features, and Binary Authorization enforced.
 */
export class HardenedGkeCluster extends BulwarkComponent {
  public readonly clusterName: pulumi.Output<string>;
  /** The endpoint the kubeconfig uses: the DNS endpoint with `in-program`, else the private IP endpoint. */
  public readonly endpoint: pulumi.Output<string>;
  /** Kubeconfig using `gke-gcloud-auth-plugin`; a secret. */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly etcdKeyId: pulumi.Output<string>;
  public readonly volumesKeyId: pulumi.Output<string>;
  public readonly logBucketId: pulumi.Output<string>;
  public readonly workloadPool: string;
  public readonly nodeServiceAccount: pulumi.Output<string>;
  public readonly storageClass: StorageClassSpec;

  constructor(name: string, args: HardenedGkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('HardenedGkeCluster', name, opts);

    // An explicit provider: project and region come from the stack's bulwark: keys, never from ambient gcp: config.
    const provider = new gcp.Provider(
      `${name}-gcp`,
      {
        project: args.project,
        region: args.region,
        defaultLabels: { 'bulwark-cluster': args.clusterName, 'managed-by': 'bulwark' },
      },
      { parent: this },
    );
    const child = { parent: this, provider };
    const projectNumber = gcp.organizations.getProjectOutput({ projectId: args.project }, child).number;
    const ownsProjectPolicies = args.projectPolicies === 'managed';

    const keys = new GkeKeys(
      `${name}-keys`,
      { clusterName: args.clusterName, region: args.region, projectNumber },
      child,
    );
    const nodeSa = new GkeNodeServiceAccount(
      `${name}-nodes-sa`,
      { clusterName: args.clusterName, project: args.project },
      child,
    );
    const logging = new GkeAuditLogging(
      `${name}-logging`,
      { clusterName: args.clusterName, project: args.project, region: args.region, ownsProjectPolicies },
      child,
    );
    if (ownsProjectPolicies) {
      new GkeBinaryAuthorization(
        `${name}-binauthz`,
        {
          project: args.project,
          trustedImagePatterns: args.trustedImagePatterns ?? [`${args.region}-docker.pkg.dev/${args.project}/**`],
        },
        child,
      );
    }

    const workloadPool = `${args.project}.svc.id.goog`;
    const clusterArgs: gcp.container.ClusterArgs = {
      name: args.clusterName,
      location: args.region,
      network: args.network,
      subnetwork: args.subnetwork,
      // CIS GKE 5.6.2: VPC-native (alias IPs).
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: args.podsRangeName,
        servicesSecondaryRangeName: args.servicesRangeName,
      },
      minMasterVersion: args.kubernetesVersion,
      // CIS GKE 5.5.4: a release channel keeps control plane and nodes patched, inside the maintenance window.
      releaseChannel: { channel: 'REGULAR' },
      maintenancePolicy: { recurringWindow: gkeRecurringWindow(args.maintenanceWindow) },
      // Node pools are separate resources; GKE creates a default pool with the cluster and removes it at once. That
      // pool is hardened all the same (it briefly runs with these settings, never with the default account).
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: hardenedNodeConfig(
        { name: 'default', machineType: 'e2-small', diskSizeGb: 20 },
        nodeSa.email,
        keys.volumesKeyId,
      ),
      // CIS GKE 5.6.4 / 5.6.5: private endpoint and private nodes; no public control-plane IP at all, and the private
      // endpoint not reachable from other regions.
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: true,
        masterIpv4CidrBlock: args.masterCidr,
        masterGlobalAccessConfig: { enabled: false },
      },
      // The DNS-based endpoint admits a caller only with IAM permission on the cluster (container.clusters.connect):
      // the in-program baseline reaches a private cluster through it without a network path into the VPC.
      controlPlaneEndpointsConfig: {
        dnsEndpointConfig: { allowExternalTraffic: args.baselineApply === 'in-program' },
        ipEndpointsConfig: { enabled: true },
      },
      // CIS GKE 5.6.3: only the listed networks reach the IP endpoint, Google Cloud's public ranges do not, and the
      // endpoint answers on its private address only.
      masterAuthorizedNetworksConfig: {
        cidrBlocks: args.authorizedNetworks.map((cidrBlock, i) => ({ cidrBlock, displayName: `authorized-${i}` })),
        gcpPublicCidrsAccessEnabled: false,
        privateEndpointEnforcementEnabled: true,
      },
      // CIS GKE 5.3.1: Secrets encrypted with the customer-managed key.
      databaseEncryption: { state: 'ENCRYPTED', keyName: keys.etcdKeyId },
      // CIS GKE 5.7.1: system, workload and control-plane logs, including the API server.
      loggingConfig: { enableComponents: GKE_LOGGING_COMPONENTS },
      // CIS GKE 5.8.1: no client certificate (a credential that cannot be revoked).
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      // CIS GKE 5.8.3: RBAC only, legacy ABAC off.
      enableLegacyAbac: false,
      // CIS GKE 5.10.2: no alpha features (alpha clusters cannot be upgraded and expire after 30 days).
      enableKubernetesAlpha: false,
      // CIS GKE 5.5.5: shielded nodes for every node of the cluster.
      enableShieldedNodes: true,
      // CIS GKE 5.2.2: Workload Identity; pods get Google identities of their own.
      workloadIdentityConfig: { workloadPool },
      // CIS GKE 4.3.1: Dataplane V2 (eBPF) enforces NetworkPolicy, so the baseline's default-deny policies apply.
      datapathProvider: 'ADVANCED_DATAPATH',
      // CIS GKE 5.1.4: only images that the project's Binary Authorization policy admits run.
      binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
      // CIS GKE 5.10.4: security posture dashboard (configuration audit).
      securityPostureConfig: { mode: 'BASIC' },
      // Production clusters cannot be deleted by a stray `pulumi destroy`; throwaway environments can.
      deletionProtection: args.environment === 'prod',
      resourceLabels: { 'bulwark-environment': args.environment, 'bulwark-project-policies': args.projectPolicies },
    };
    const cluster = new gcp.container.Cluster(`${name}-cluster`, clusterArgs, {
      ...child,
      dependsOn: [...keys.ready, ...nodeSa.ready],
      // The default pool's settings and size are read at creation only (the pool is removed at once); comparing them
      // later would replace the cluster for a pool that no longer exists.
      ignoreChanges: ['nodeConfig', 'initialNodeCount'],
    });

    const pools = [
      ...args.nodeGroups.map((group) => ({ group, isolated: false })),
      ...(args.isolatedPools ?? []).map((group) => ({ group, isolated: true })),
    ];
    for (const { group, isolated } of pools) {
      new GkeNodePool(
        `${name}-${group.name}`,
        {
          cluster: cluster.id,
          region: args.region,
          group,
          isolated,
          serviceAccount: nodeSa.email,
          bootDiskKmsKey: keys.volumesKeyId,
        },
        { ...child, dependsOn: [...nodeSa.ready, ...keys.ready] },
      );
    }

    this.clusterName = cluster.name;
    this.endpoint =
      args.baselineApply === 'in-program'
        ? cluster.controlPlaneEndpointsConfig.apply((c) => c.dnsEndpointConfig?.endpoint ?? '')
        : cluster.endpoint;
    this.etcdKeyId = keys.etcdKeyId;
    this.volumesKeyId = keys.volumesKeyId;
    this.logBucketId = logging.bucketId;
    this.workloadPool = workloadPool;
    this.nodeServiceAccount = nodeSa.email;
    this.storageClass = {
      provisioner: GKE_STORAGE_PROVISIONER,
      parameters: keys.volumesKeyId.apply((key) => ({ type: 'pd-balanced', 'disk-encryption-kms-key': key })),
    };
    const dnsEndpoint = args.baselineApply === 'in-program';
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, this.endpoint, cluster.masterAuth]).apply(([clusterName, endpoint, auth]) =>
        gkeKubeconfig({
          clusterName,
          // The DNS endpoint presents a publicly trusted certificate; the IP endpoint the cluster's own CA.
          endpoint,
          certificateAuthority: dnsEndpoint ? '' : (auth.clusterCaCertificate ?? ''),
        }),
      ),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      etcdKeyId: this.etcdKeyId,
      volumesKeyId: this.volumesKeyId,
      logBucketId: this.logBucketId,
      workloadPool: this.workloadPool,
      nodeServiceAccount: this.nodeServiceAccount,
    });
  }
}
