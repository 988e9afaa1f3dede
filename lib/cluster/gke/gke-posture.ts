import { parseIpv4Cidr } from '../config/cidr';
import { isolatedPoolsControl } from '../posture/isolated-pools-control';
import { control, expect, PostureControl, prop, ref } from '../posture/posture-control';

// Type tokens only: this module must not load @pulumi/gcp (the plan loads it only for GCP stacks).
const CLUSTER = 'gcp:container/cluster:Cluster';
const NODE_POOL = 'gcp:container/nodePool:NodePool';
const CRYPTO_KEY = 'gcp:kms/cryptoKey:CryptoKey';
const AUDIT_CONFIG = 'gcp:projects/iAMAuditConfig:IAMAuditConfig';
const SERVICE_ACCOUNT = 'gcp:serviceaccount/account:Account';

const narrowCidr = expect.that('an IPv4 CIDR of /8 or narrower (never 0.0.0.0/0)', (a) => {
  const c = typeof a === 'string' ? parseIpv4Cidr(a) : undefined;
  return c !== undefined && c.prefix >= 8;
});

const logTypes = (required: readonly string[]) =>
  expect.that(`logType includes ${required.join(', ')}`, (a) => {
    const types = Array.isArray(a) ? a.map((c) => (c as { logType?: unknown } | null)?.logType) : [];
    return required.every((t) => types.includes(t));
  });

/** Posture checklist of a HardenedGkeCluster stack, computed from the registered resources. */
export const GKE_CONTROLS: readonly PostureControl[] = [
  control({
    id: 'gke-secrets-encryption',
    title: 'Secrets encrypted in etcd with a Cloud KMS key that rotates (<= 90 days)',
    references: ['CIS GKE 5.3.1', 'NSA/CISA: encrypt Secrets at rest'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('databaseEncryption.state', expect.equals('ENCRYPTED')),
          ref('databaseEncryption.keyName', CRYPTO_KEY, 'id', [prop('rotationPeriod', expect.durationAtMost(7776000))]),
        ],
      },
    ],
  }),
  control({
    id: 'gke-private-cluster',
    title: 'Private endpoint and private nodes',
    references: ['CIS GKE 5.6.4', 'CIS GKE 5.6.5'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('privateClusterConfig.enablePrivateEndpoint', expect.equals(true)),
          prop('privateClusterConfig.enablePrivateNodes', expect.equals(true)),
        ],
      },
    ],
  }),
  control({
    id: 'gke-authorized-networks',
    title: 'Master authorized networks: listed networks only, not Google Cloud public ranges',
    references: ['CIS GKE 5.6.3'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('masterAuthorizedNetworksConfig.cidrBlocks', expect.every(expect.field('cidrBlock', narrowCidr))),
          prop('masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled', expect.equals(false)),
        ],
      },
    ],
  }),
  control({
    id: 'gke-audit-logs',
    title: 'API server and control-plane logs, and Data Access audit logs of the Kubernetes API',
    references: ['CIS GKE 5.7.1', 'GKE audit policy: Data Access logs', 'NSA/CISA: audit logging'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop(
            'loggingConfig.enableComponents',
            expect.includesAll(['SYSTEM_COMPONENTS', 'WORKLOADS', 'APISERVER', 'CONTROLLER_MANAGER', 'SCHEDULER']),
          ),
        ],
      },
      {
        resourceType: AUDIT_CONFIG,
        where: (r) => r.inputs.service === 'container.googleapis.com',
        whereDescribe: 'audit config for container.googleapis.com',
        checks: [prop('auditLogConfigs', logTypes(['ADMIN_READ', 'DATA_READ', 'DATA_WRITE']))],
      },
    ],
  }),
  control({
    id: 'gke-authentication',
    title: 'No client certificate, legacy ABAC off (RBAC only)',
    references: ['CIS GKE 5.8.2', 'CIS GKE 5.8.4', 'OWASP K03'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('masterAuth.clientCertificateConfig.issueClientCertificate', expect.equals(false)),
          prop('enableLegacyAbac', expect.equals(false)),
        ],
      },
    ],
  }),
  control({
    id: 'gke-shielded-nodes',
    title: 'Shielded nodes with secure boot and integrity monitoring',
    references: ['CIS GKE 5.5.5', 'CIS GKE 5.5.6', 'CIS GKE 5.5.7'],
    targets: [
      { resourceType: CLUSTER, checks: [prop('enableShieldedNodes', expect.equals(true))] },
      {
        resourceType: NODE_POOL,
        checks: [
          prop('nodeConfig.shieldedInstanceConfig.enableSecureBoot', expect.equals(true)),
          prop('nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring', expect.equals(true)),
        ],
      },
    ],
  }),
  control({
    id: 'gke-workload-identity',
    title: 'Workload Identity with the GKE metadata server (node credentials hidden from pods)',
    references: ['CIS GKE 5.2.2', 'CIS GKE 5.4.2'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop(
            'workloadIdentityConfig.workloadPool',
            expect.that('<project>.svc.id.goog', (a) => typeof a === 'string' && a.endsWith('.svc.id.goog')),
          ),
        ],
      },
      {
        resourceType: NODE_POOL,
        checks: [prop('nodeConfig.workloadMetadataConfig.mode', expect.equals('GKE_METADATA'))],
      },
    ],
  }),
  control({
    id: 'gke-node-service-account',
    title: 'Nodes run as a dedicated service account, not the Compute Engine default',
    references: ['CIS GKE 5.2.1'],
    targets: [{ resourceType: NODE_POOL, checks: [ref('nodeConfig.serviceAccount', SERVICE_ACCOUNT, 'email', [])] }],
  }),
  control({
    id: 'gke-network-policy',
    title: 'Dataplane V2 enforces NetworkPolicy',
    references: ['CIS GKE 5.6.7', 'NSA/CISA: network separation'],
    targets: [{ resourceType: CLUSTER, checks: [prop('datapathProvider', expect.equals('ADVANCED_DATAPATH'))] }],
  }),
  control({
    id: 'gke-release-channel',
    title: 'Release channel; node pools auto-upgrade and auto-repair',
    references: ['CIS GKE 5.5.4', 'CIS GKE 5.5.3', 'CIS GKE 5.5.2'],
    targets: [
      { resourceType: CLUSTER, checks: [prop('releaseChannel.channel', expect.oneOf(['REGULAR', 'STABLE']))] },
      {
        resourceType: NODE_POOL,
        checks: [
          prop('management.autoUpgrade', expect.equals(true)),
          prop('management.autoRepair', expect.equals(true)),
        ],
      },
    ],
  }),
  control({
    id: 'gke-binary-authorization',
    title: 'Binary Authorization enforced',
    references: ['CIS GKE 5.10.5', 'OWASP K02'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [prop('binaryAuthorization.evaluationMode', expect.equals('PROJECT_SINGLETON_POLICY_ENFORCE'))],
      },
    ],
  }),
  isolatedPoolsControl({
    id: 'gke-isolated-pools',
    references: ['NSA/CISA: separate sensitive workloads', 'OWASP K07'],
    poolType: NODE_POOL,
    pools: (plan) =>
      plan.ofType(NODE_POOL).map((resource) => ({
        resource,
        at: '',
        labelsPath: 'nodeConfig.labels',
        taintsPath: 'nodeConfig.taints',
      })),
  }),
];
