import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { NodeGroupConfig } from '../config/common-config';
import { isolatedPoolLabels, isolatedPoolTaint } from '../node-pool-taints';
import { gkeKubeconfig } from './gke-kubeconfig';

/** What a team chooses. Everything that makes the cluster hardened is fixed below and is not an input. */
export interface HardenedGkeClusterArgs {
  readonly clusterName: string;
  readonly project: string;
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.31`; the release channel moves patches forward. */
  readonly kubernetesVersion: string;
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
}

/** Control-plane and node logs sent to Cloud Logging; APISERVER, CONTROLLER_MANAGER and SCHEDULER are opt-in. */
export const GKE_LOGGING_COMPONENTS = [
  'SYSTEM_COMPONENTS',
  'WORKLOADS',
  'APISERVER',
  'CONTROLLER_MANAGER',
  'SCHEDULER',
];
/** Data Access audit log types of the Kubernetes API; Admin Activity logs are always on and cannot be disabled. */
export const GKE_DATA_ACCESS_LOG_TYPES = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'];
/** 90 days: the Cloud KMS rotation period recommended for symmetric keys. */
export const GKE_KEY_ROTATION_PERIOD = '7776000s';
/** Roles of the node service account: write logs and metrics, read images. Nothing else (CIS GKE 5.2.1). */
export const GKE_NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
];

/**
 * A hardened Google Kubernetes Engine cluster that meets or beats the safer-cluster module setting by setting:
 * Secrets encrypted with a Cloud KMS key that rotates, private nodes and a private endpoint behind master authorized
 * networks, API server and Data Access audit logs, no client certificate and no legacy ABAC, shielded nodes with secure
 * boot and integrity monitoring, Workload Identity with the GKE metadata server, Dataplane V2, a release channel and
 * Binary Authorization enforced.
 */
export class HardenedGkeCluster extends BulwarkComponent {
  public readonly clusterName: pulumi.Output<string>;
  /** The private endpoint's address. */
  public readonly endpoint: pulumi.Output<string>;
  /** Kubeconfig using `gke-gcloud-auth-plugin`; a secret. */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly etcdKeyId: pulumi.Output<string>;
  public readonly workloadPool: string;
  public readonly nodeServiceAccount: pulumi.Output<string>;

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

    // CIS GKE 5.3.1: application-layer Secrets encryption with a Cloud KMS key in the cluster's region, rotated.
    const keyRing = new gcp.kms.KeyRing(
      `${name}-keyring`,
      { name: `${args.clusterName}-keyring`, location: args.region },
      child,
    );
    const etcdKey = new gcp.kms.CryptoKey(
      `${name}-etcd-key`,
      {
        name: `${args.clusterName}-etcd`,
        keyRing: keyRing.id,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: GKE_KEY_ROTATION_PERIOD,
      },
      child,
    );
    // The GKE service agent may use this key, and only this key.
    const keyAccess = new gcp.kms.CryptoKeyIAMMember(
      `${name}-etcd-key-gke-agent`,
      {
        cryptoKeyId: etcdKey.id,
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: pulumi.interpolate`serviceAccount:service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
      },
      child,
    );

    // CIS GKE 5.2.1: a dedicated least-privilege node service account, never the Compute Engine default account
    // (project Editor). Workloads use Workload Identity, not this account.
    const nodeSa = new gcp.serviceaccount.Account(
      `${name}-nodes-sa`,
      { accountId: `${args.clusterName}-nodes`, displayName: `GKE nodes of ${args.clusterName}` },
      child,
    );
    const nodeSaRoles = GKE_NODE_ROLES.map(
      (role) =>
        new gcp.projects.IAMMember(
          `${name}-nodes-${role.replace(/^roles\//, '').replace(/\./g, '-')}`,
          { project: args.project, role, member: pulumi.interpolate`serviceAccount:${nodeSa.email}` },
          child,
        ),
    );

    // Data Access audit logs of the Kubernetes API (reads of Secrets, pod logs, exec) are off unless enabled for the
    // Kubernetes Engine API; Admin Activity logs are always written (GKE audit policy).
    new gcp.projects.IAMAuditConfig(
      `${name}-k8s-data-access-audit`,
      {
        project: args.project,
        service: 'container.googleapis.com',
        auditLogConfigs: GKE_DATA_ACCESS_LOG_TYPES.map((logType) => ({ logType })),
      },
      child,
    );

    const workloadPool = `${args.project}.svc.id.goog`;
    const nodeConfig = (group: Pick<NodeGroupConfig, 'machineType' | 'diskSizeGb' | 'name'>) => ({
      machineType: group.machineType,
      diskSizeGb: group.diskSizeGb,
      diskType: 'pd-balanced',
      // Container-Optimized OS: read-only root, minimal packages, updated by Google.
      imageType: 'COS_CONTAINERD',
      serviceAccount: nodeSa.email,
      oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
      // CIS GKE 5.5.5-5.5.7: shielded nodes with secure boot and integrity monitoring.
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      // CIS GKE 5.4.2 / 5.2.2: the GKE metadata server hides the node's credentials and instance metadata from pods.
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
      metadata: { 'disable-legacy-endpoints': 'true' },
      labels: { 'bulwark-node-group': group.name },
    });

    const cluster = new gcp.container.Cluster(
      `${name}-cluster`,
      {
        name: args.clusterName,
        location: args.region,
        network: args.network,
        subnetwork: args.subnetwork,
        networkingMode: 'VPC_NATIVE',
        ipAllocationPolicy: {
          clusterSecondaryRangeName: args.podsRangeName,
          servicesSecondaryRangeName: args.servicesRangeName,
        },
        minMasterVersion: args.kubernetesVersion,
        // CIS GKE 5.5.4: a release channel keeps control plane and nodes patched.
        releaseChannel: { channel: 'REGULAR' },
        // Node pools are managed below; the default pool (created and deleted by GKE) is hardened all the same.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        nodeConfig: nodeConfig({ name: 'default', machineType: 'e2-small', diskSizeGb: 20 }),
        // CIS GKE 5.6.4 / 5.6.5: private endpoint and private nodes; no public control-plane address at all.
        privateClusterConfig: {
          enablePrivateNodes: true,
          enablePrivateEndpoint: true,
          masterIpv4CidrBlock: args.masterCidr,
          masterGlobalAccessConfig: { enabled: false },
        },
        // CIS GKE 5.6.3: only the listed networks reach the endpoint, Google Cloud's public ranges do not.
        masterAuthorizedNetworksConfig: {
          cidrBlocks: args.authorizedNetworks.map((cidrBlock, i) => ({ cidrBlock, displayName: `authorized-${i}` })),
          gcpPublicCidrsAccessEnabled: false,
          privateEndpointEnforcementEnabled: true,
        },
        // CIS GKE 5.3.1: Secrets encrypted with the customer-managed key.
        databaseEncryption: { state: 'ENCRYPTED', keyName: etcdKey.id },
        // CIS GKE 5.7.1: system, workload and control-plane logs, including the API server.
        loggingConfig: { enableComponents: GKE_LOGGING_COMPONENTS },
        // CIS GKE 5.8.2: no client certificate (a credential that cannot be revoked).
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        // CIS GKE 5.8.4: RBAC only, legacy ABAC off.
        enableLegacyAbac: false,
        // CIS GKE 5.5.5: shielded nodes for every node of the cluster.
        enableShieldedNodes: true,
        // CIS GKE 5.2.2: Workload Identity; pods get Google identities of their own.
        workloadIdentityConfig: { workloadPool },
        // CIS GKE 5.6.7: Dataplane V2 (eBPF) enforces NetworkPolicy, so the baseline's default-deny policies apply.
        datapathProvider: 'ADVANCED_DATAPATH',
        // CIS GKE 5.10.5: only images that the project's Binary Authorization policy admits run.
        binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
        securityPostureConfig: { mode: 'BASIC' },
        deletionProtection: true,
      },
      { ...child, dependsOn: [keyAccess] },
    );

    const pools = [
      ...args.nodeGroups.map((group) => ({ group, isolated: false })),
      ...(args.isolatedPools ?? []).map((group) => ({ group, isolated: true })),
    ];
    for (const { group, isolated } of pools) {
      const config = nodeConfig(group);
      new gcp.container.NodePool(
        `${name}-${group.name}`,
        {
          name: group.name,
          cluster: cluster.id,
          location: args.region,
          // Counts are per zone for the initial size (a regional pool spans three zones by default) and totals for
          // the autoscaler.
          initialNodeCount: Math.max(1, Math.ceil(group.desiredCount / 3)),
          autoscaling: {
            totalMinNodeCount: group.minCount,
            totalMaxNodeCount: group.maxCount,
            locationPolicy: 'BALANCED',
          },
          // CIS GKE 5.5.2 / 5.5.3: nodes repaired and upgraded automatically.
          management: { autoRepair: true, autoUpgrade: true },
          upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
          nodeConfig: isolated
            ? {
                ...config,
                labels: { ...config.labels, ...isolatedPoolLabels(group.name) },
                // Only pods tolerating the pool's taint are scheduled here (NSA/CISA: separate sensitive workloads).
                taints: [isolatedPoolTaint(group.name)],
              }
            : config,
        },
        { ...child, dependsOn: nodeSaRoles },
      );
    }

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.etcdKeyId = etcdKey.id;
    this.workloadPool = workloadPool;
    this.nodeServiceAccount = nodeSa.email;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.endpoint, cluster.masterAuth])
        .apply(([clusterName, endpoint, auth]) =>
          gkeKubeconfig({ clusterName, endpoint, certificateAuthority: auth.clusterCaCertificate ?? '' }),
        ),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      etcdKeyId: this.etcdKeyId,
      workloadPool: this.workloadPool,
      nodeServiceAccount: this.nodeServiceAccount,
    });
  }
}
