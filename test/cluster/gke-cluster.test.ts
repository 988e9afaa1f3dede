import * as pulumi from '@pulumi/pulumi';
import { GKE_MOCKS } from '../../lib/cluster/gke/gke-mocks';
import { GKE_CONTROLS } from '../../lib/cluster/gke/gke-posture';
import { HardenedGkeCluster, HardenedGkeClusterArgs } from '../../lib/cluster/gke/hardened-gke-cluster';
import { PlanMocks } from '../../lib/cluster/plan/plan-mocks';
import { MockRun, runUnderMocks } from '../../lib/cluster/plan/run-under-mocks';
import { PlannedResource, PlanView } from '../../lib/cluster/posture/planned-resource';
import { evaluatePosture } from '../../lib/cluster/posture/posture-control';

const ARGS: HardenedGkeClusterArgs = {
  clusterName: 'search-prod',
  project: 'acme-search-prod',
  region: 'europe-west1',
  kubernetesVersion: '1.35',
  environment: 'prod',
  maintenanceWindow: { days: ['Saturday', 'Sunday'], startHour: 2, durationHours: 6 },
  projectPolicies: 'managed',
  baselineApply: 'in-program',
  network: 'search-vpc',
  subnetwork: 'search-nodes',
  podsRangeName: 'pods',
  servicesRangeName: 'services',
  masterCidr: '172.16.0.32/28',
  authorizedNetworks: ['10.40.0.0/16', '192.168.7.0/24'],
  nodeGroups: [
    { name: 'system', machineType: 'e2-standard-4', minCount: 3, maxCount: 6, desiredCount: 4, diskSizeGb: 60 },
  ],
  isolatedPools: [
    { name: 'sensitive', machineType: 'n2-standard-4', minCount: 3, maxCount: 6, desiredCount: 3, diskSizeGb: 50 },
  ],
};
const CONTEXT = { region: ARGS.region, config: { project: ARGS.project, masterCidr: ARGS.masterCidr } };

let kubeconfigIsSecret: Promise<boolean> | undefined;

function runGke(transformations: pulumi.ResourceTransformation[] = []): Promise<MockRun> {
  return runUnderMocks(
    () => {
      const cluster = new HardenedGkeCluster('search', ARGS);
      kubeconfigIsSecret = pulumi.isSecret(cluster.kubeconfig);
      return { kubeconfig: cluster.kubeconfig };
    },
    { project: 'bulwark', stack: 'test', mocks: new PlanMocks(GKE_MOCKS, CONTEXT), transformations },
  );
}

function one(run: MockRun, type: string, name: string): PlannedResource {
  const hits = run.resources.filter((r) => r.type === type && r.name === name);
  if (hits.length !== 1) throw new Error(`${hits.length} ${type} ${name} in ${run.resources.map((r) => r.name)}`);
  return hits[0];
}

describe('HardenedGkeCluster guard', () => {
  it('refuses to be created when neither an engine nor mocks are attached', () => {
    pulumi.runtime.resetOptions('', '', -1, '', '', false, '');
    expect(() => new HardenedGkeCluster('early', ARGS)).toThrow(
      "bulwark:cluster:HardenedGkeCluster 'early' was created with no Pulumi engine and no mocks attached",
    );
  });
});

describe('HardenedGkeCluster under mocks', () => {
  let run: MockRun;
  let cluster: PlannedResource;
  beforeAll(async () => {
    run = await runGke();
    cluster = one(run, 'gcp:container/cluster:Cluster', 'search-cluster');
  });

  it('is a bulwark:cluster component on an explicit provider for the configured project and region', () => {
    const component = one(run, 'bulwark:cluster:HardenedGkeCluster', 'search');
    const view = new PlanView(run.resources);
    const descendants = run.resources.filter((r) => view.ancestors(r).includes(component));
    expect(descendants.length).toBe(run.resources.length - 2);
    expect(descendants.every((c) => c.name.startsWith('search-'))).toBe(true);
    expect([...new Set(descendants.filter((r) => !r.custom).map((r) => r.type))].sort()).toEqual([
      'bulwark:cluster:GkeAuditLogging',
      'bulwark:cluster:GkeBinaryAuthorization',
      'bulwark:cluster:GkeKeys',
      'bulwark:cluster:GkeNodePool',
      'bulwark:cluster:GkeNodeServiceAccount',
    ]);
    expect(one(run, 'pulumi:providers:gcp', 'search-gcp').inputs).toMatchObject({
      project: 'acme-search-prod',
      region: 'europe-west1',
    });
  });

  it('encrypts Secrets with a Cloud KMS key rotating every 90 days that only the GKE service agent may use', () => {
    const key = one(run, 'gcp:kms/cryptoKey:CryptoKey', 'search-keys-etcd');
    expect(key.inputs).toMatchObject({ purpose: 'ENCRYPT_DECRYPT', rotationPeriod: '7776000s' });
    expect(cluster.inputs.databaseEncryption).toEqual({ state: 'ENCRYPTED', keyName: key.id });
    expect(one(run, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember', 'search-keys-etcd-gke-agent').inputs).toEqual({
      cryptoKeyId: key.id,
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: 'serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com',
    });
  });

  it('has private nodes and a private endpoint behind the authorized networks only', () => {
    expect(cluster.inputs.privateClusterConfig).toEqual({
      enablePrivateNodes: true,
      enablePrivateEndpoint: true,
      masterIpv4CidrBlock: '172.16.0.32/28',
      masterGlobalAccessConfig: { enabled: false },
    });
    expect(cluster.inputs.masterAuthorizedNetworksConfig).toEqual({
      cidrBlocks: [
        { cidrBlock: '10.40.0.0/16', displayName: 'authorized-0' },
        { cidrBlock: '192.168.7.0/24', displayName: 'authorized-1' },
      ],
      gcpPublicCidrsAccessEnabled: false,
      privateEndpointEnforcementEnabled: true,
    });
  });

  it('logs the API server and the Data Access audit logs of the Kubernetes API', () => {
    expect(cluster.inputs.loggingConfig).toEqual({
      enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS', 'APISERVER', 'CONTROLLER_MANAGER', 'SCHEDULER'],
    });
    expect(one(run, 'gcp:projects/iAMAuditConfig:IAMAuditConfig', 'search-logging-k8s-data-access').inputs).toEqual({
      project: 'acme-search-prod',
      service: 'container.googleapis.com',
      auditLogConfigs: [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ' }, { logType: 'DATA_WRITE' }],
    });
  });

  it('fixes authentication, identity, dataplane, release channel and Binary Authorization', () => {
    expect(cluster.inputs).toMatchObject({
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      enableShieldedNodes: true,
      workloadIdentityConfig: { workloadPool: 'acme-search-prod.svc.id.goog' },
      datapathProvider: 'ADVANCED_DATAPATH',
      releaseChannel: { channel: 'REGULAR' },
      binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
      networkingMode: 'VPC_NATIVE',
      removeDefaultNodePool: true,
    });
  });

  it('runs node pools as a least-privilege service account on shielded COS nodes with the GKE metadata server', () => {
    const sa = one(run, 'gcp:serviceaccount/account:Account', 'search-nodes-sa');
    const roles = run.resources
      .filter(
        (r) => r.type === 'gcp:projects/iAMMember:IAMMember' && r.inputs.member === `serviceAccount:${sa.state.email}`,
      )
      .map((r) => r.inputs.role);
    expect(roles).toEqual([
      'roles/logging.logWriter',
      'roles/monitoring.metricWriter',
      'roles/monitoring.viewer',
      'roles/stackdriver.resourceMetadata.writer',
      'roles/artifactregistry.reader',
    ]);
    const pool = one(run, 'gcp:container/nodePool:NodePool', 'search-system');
    expect(pool.inputs).toMatchObject({
      cluster: cluster.id,
      initialNodeCount: 2,
      autoscaling: { totalMinNodeCount: 3, totalMaxNodeCount: 6, locationPolicy: 'BALANCED' },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: 'e2-standard-4',
        diskSizeGb: 60,
        imageType: 'COS_CONTAINERD',
        serviceAccount: sa.state.email,
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        metadata: { 'disable-legacy-endpoints': 'true' },
      },
    });
    // The default pool GKE creates (and this component removes) is hardened the same way meanwhile.
    expect(cluster.inputs.nodeConfig).toMatchObject({
      serviceAccount: sa.state.email,
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    });
  });

  it('runs the isolated pool hardened like the others, labelled and tainted bulwark.dev/pool=sensitive:NoSchedule', () => {
    const system = one(run, 'gcp:container/nodePool:NodePool', 'search-system');
    const sensitive = one(run, 'gcp:container/nodePool:NodePool', 'search-sensitive');
    const { labels, taints, ...hardening } = sensitive.inputs.nodeConfig as Record<string, unknown>;
    const { labels: _systemLabels, ...systemHardening } = system.inputs.nodeConfig as Record<string, unknown>;
    expect(hardening).toEqual({ ...systemHardening, machineType: 'n2-standard-4', diskSizeGb: 50 });
    expect(labels).toEqual({ 'bulwark-node-group': 'sensitive', 'bulwark.dev/pool': 'sensitive' });
    expect(taints).toEqual([{ key: 'bulwark.dev/pool', value: 'sensitive', effect: 'NO_SCHEDULE' }]);
    expect(sensitive.inputs).toMatchObject({
      namePrefix: 'sensitive-',
      management: { autoRepair: true, autoUpgrade: true },
      autoscaling: { totalMinNodeCount: 3, totalMaxNodeCount: 6 },
    });
    expect((system.inputs.nodeConfig as Record<string, unknown>).taints).toBeUndefined();
  });

  it('outputs a secret kubeconfig for the DNS endpoint that uses gke-gcloud-auth-plugin', async () => {
    expect(await kubeconfigIsSecret).toBe(true);
    const kubeconfig = JSON.parse(String(run.outputs.kubeconfig));
    // in-program: the DNS-based endpoint (IAM-guarded, publicly trusted certificate, so no CA data).
    expect(kubeconfig.clusters[0].cluster.server).toMatch(
      /^https:\/\/gke-[0-9a-f]{32}-123456789012\.europe-west1\.gke\.goog$/,
    );
    expect(kubeconfig.clusters[0].cluster['certificate-authority-data']).toBeUndefined();
    expect(kubeconfig.users[0].user.exec.command).toBe('gke-gcloud-auth-plugin');
  });

  it('keeps the logs a year in a bucket of its own, routed there by a sink for this cluster', () => {
    const bucket = one(run, 'gcp:logging/projectBucketConfig:ProjectBucketConfig', 'search-logging-bucket');
    expect(bucket.inputs).toMatchObject({ project: 'acme-search-prod', location: 'europe-west1', retentionDays: 365 });
    const sink = one(run, 'gcp:logging/projectSink:ProjectSink', 'search-logging-sink');
    expect(sink.inputs.destination).toBe(`logging.googleapis.com/${bucket.id}`);
    expect(sink.inputs.filter).toContain('resource.labels.cluster_name="search-prod"');
  });

  it('owns the project singletons only when told to, and keeps them when destroyed', () => {
    const policy = one(run, 'gcp:binaryauthorization/policy:Policy', 'search-binauthz');
    expect(policy.inputs).toMatchObject({
      project: 'acme-search-prod',
      globalPolicyEvaluationMode: 'ENABLE',
      admissionWhitelistPatterns: [{ namePattern: 'europe-west1-docker.pkg.dev/acme-search-prod/**' }],
      defaultAdmissionRule: { evaluationMode: 'ALWAYS_DENY', enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG' },
    });
  });

  it('puts the key ring under a random suffix, encrypts boot disks with the volumes key, and has maintenance windows', () => {
    const ring = one(run, 'gcp:kms/keyRing:KeyRing', 'search-keys-ring');
    expect(ring.inputs.name).toMatch(/^search-prod-[0-9a-f]{4}$/);
    const volumes = one(run, 'gcp:kms/cryptoKey:CryptoKey', 'search-keys-volumes');
    expect(
      (one(run, 'gcp:container/nodePool:NodePool', 'search-system').inputs.nodeConfig as Record<string, unknown>)
        .bootDiskKmsKey,
    ).toBe(volumes.id);
    expect(cluster.inputs).toMatchObject({
      maintenancePolicy: {
        recurringWindow: {
          startTime: '2025-01-04T02:00:00Z',
          endTime: '2025-01-04T08:00:00Z',
          recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU',
        },
      },
      enableKubernetesAlpha: false,
      deletionProtection: true,
      minMasterVersion: '1.35',
    });
  });

  it('lets the autoscaler and the release channel own what they own (no pool replacement on day 2)', () => {
    expect(one(run, 'gcp:container/nodePool:NodePool', 'search-system').ignoreChanges).toEqual([
      'initialNodeCount',
      'version',
      'nodeCount',
    ]);
    expect(cluster.ignoreChanges).toEqual(['nodeConfig', 'initialNodeCount']);
  });

  it('passes every GKE posture control', () => {
    const results = evaluatePosture(GKE_CONTROLS, new PlanView(run.resources));
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual([]);
    expect(results.length).toBe(19);
  });
});

describe('GKE posture says fail when a registered setting is broken', () => {
  const patch =
    (
      type: string,
      change: (props: Record<string, unknown>) => Record<string, unknown>,
    ): pulumi.ResourceTransformation =>
    (a) =>
      a.type === type ? { props: change(a.props), opts: a.opts } : undefined;
  const CLUSTER = 'gcp:container/cluster:Cluster';

  it.each([
    [
      'secrets decrypted',
      patch(CLUSTER, (p) => ({ ...p, databaseEncryption: { state: 'DECRYPTED' } })),
      ['gke-secrets-encryption'],
    ],
    [
      'a public endpoint',
      patch(CLUSTER, (p) => ({
        ...p,
        privateClusterConfig: { ...(p.privateClusterConfig as object), enablePrivateEndpoint: false },
      })),
      ['gke-private-cluster'],
    ],
    [
      "Google Cloud's public ranges authorized",
      patch(CLUSTER, (p) => ({
        ...p,
        masterAuthorizedNetworksConfig: {
          ...(p.masterAuthorizedNetworksConfig as object),
          gcpPublicCidrsAccessEnabled: true,
        },
      })),
      ['gke-authorized-networks'],
    ],
    [
      'node pools on the node metadata instead of the GKE metadata server',
      patch('gcp:container/nodePool:NodePool', (p) => ({
        ...p,
        nodeConfig: { ...(p.nodeConfig as object), workloadMetadataConfig: { mode: 'GCE_METADATA' } },
      })),
      ['gke-workload-identity'],
    ],
    [
      'a key that never rotates',
      patch('gcp:kms/cryptoKey:CryptoKey', ({ rotationPeriod: _drop, ...rest }) => rest),
      ['gke-secrets-encryption', 'gke-node-metadata'],
    ],
    [
      'the isolated pool tainted PreferNoSchedule (other pods may still land there)',
      (a) =>
        a.name === 'search-sensitive' && a.type === 'gcp:container/nodePool:NodePool'
          ? {
              props: {
                ...a.props,
                nodeConfig: {
                  ...(a.props.nodeConfig as object),
                  taints: [{ key: 'bulwark.dev/pool', value: 'sensitive', effect: 'PREFER_NO_SCHEDULE' }],
                },
              },
              opts: a.opts,
            }
          : undefined,
      ['gke-isolated-pools'],
    ],
  ])('%s', async (_what, transformation, failing) => {
    const broken = await runGke([transformation]);
    const results = evaluatePosture(GKE_CONTROLS, new PlanView(broken.resources));
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(failing);
  });
});
