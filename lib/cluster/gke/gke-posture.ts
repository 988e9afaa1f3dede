import { parseIpv4Cidr } from '../../k8s/cidr';
import { isolatedPoolsControl } from '../posture/isolated-pools-control';
import { getPath } from '../posture/planned-resource';
import { control, Evidence, expect, ignores, missing, PostureControl, prop, ref } from '../posture/posture-control';
import { GKE_VERSIONS } from './gke-versions';

// Type tokens only: this module must not load @pulumi/gcp (the plan loads it only for GCP stacks).
const CLUSTER = 'gcp:container/cluster:Cluster';
const NODE_POOL = 'gcp:container/nodePool:NodePool';
const CRYPTO_KEY = 'gcp:kms/cryptoKey:CryptoKey';
const AUDIT_CONFIG = 'gcp:projects/iAMAuditConfig:IAMAuditConfig';
const SERVICE_ACCOUNT = 'gcp:serviceaccount/account:Account';
const LOG_BUCKET = 'gcp:logging/projectBucketConfig:ProjectBucketConfig';
const LOG_SINK = 'gcp:logging/projectSink:ProjectSink';
const BINAUTHZ_POLICY = 'gcp:binaryauthorization/policy:Policy';
/** The cluster label saying whether its stack owns the project's audit config and Binary Authorization policy. */
const EXTERNAL_LABEL = 'resourceLabels["bulwark-project-policies"]';

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
    title: 'Private endpoint (not reachable from other regions) and private nodes, VPC-native',
    references: ['CIS GKE 5.6.4', 'CIS GKE 5.6.5', 'CIS GKE 5.6.2'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('privateClusterConfig.enablePrivateEndpoint', expect.equals(true)),
          prop('privateClusterConfig.enablePrivateNodes', expect.equals(true)),
          prop('privateClusterConfig.masterGlobalAccessConfig.enabled', expect.equals(false)),
          prop('networkingMode', expect.equals('VPC_NATIVE')),
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
          prop('masterAuthorizedNetworksConfig.privateEndpointEnforcementEnabled', expect.equals(true)),
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
    ],
  }),
  {
    id: 'gke-data-access-audit',
    title: 'Data Access audit logs of the Kubernetes Engine API, owned by one stack of the project',
    references: ['CIS GKE 5.7.1', 'GKE audit policy: Data Access logs'],
    evaluate(plan) {
      const configs = plan.ofType(AUDIT_CONFIG).filter((r) => r.inputs.service === 'container.googleapis.com');
      if (configs.length > 0) {
        return configs.flatMap((r) =>
          prop('auditLogConfigs', logTypes(['ADMIN_READ', 'DATA_READ', 'DATA_WRITE']))(r, plan),
        );
      }
      // A stack that declares the project's policies external relies on the stack that owns them.
      const external = plan.ofType(CLUSTER).filter((r) => getPath(r.inputs, EXTERNAL_LABEL) === 'external');
      if (external.length === 0) return [missing(AUDIT_CONFIG, 'an audit config for container.googleapis.com')];
      return external.map((r): Evidence => ({
        resource: `${r.type} ${r.name}`,
        property: EXTERNAL_LABEL,
        actual: 'external',
        expected: 'external only when another stack of the project owns the audit config',
        pass: true,
      }));
    },
  },
  control({
    id: 'gke-log-retention',
    title: 'Cluster logs routed to a log bucket of its own, kept >= 365 days (_Default keeps 30)',
    references: ['CIS GKE 5.7.1', 'NSA/CISA: audit logging'],
    targets: [
      { resourceType: LOG_BUCKET, checks: [prop('retentionDays', expect.atLeast(365))] },
      {
        resourceType: LOG_SINK,
        checks: [
          (r, plan) => {
            const destination = String(r.inputs.destination ?? '');
            const bucket = plan.ofType(LOG_BUCKET).find((b) => destination === `logging.googleapis.com/${b.id}`);
            const cluster = plan
              .ofType(CLUSTER)
              .find((c) =>
                String(r.inputs.filter ?? '').includes(`resource.labels.cluster_name="${String(c.inputs.name)}"`),
              );
            return [
              {
                resource: `${r.type} ${r.name}`,
                property: 'destination',
                actual: destination,
                expected: `a registered ${LOG_BUCKET}`,
                pass: bucket !== undefined,
              },
              {
                resource: `${r.type} ${r.name}`,
                property: 'filter',
                actual: r.inputs.filter,
                expected: "the cluster's logs (resource.labels.cluster_name)",
                pass: cluster !== undefined,
              },
            ];
          },
        ],
      },
    ],
  }),
  control({
    id: 'gke-authentication',
    title: 'No client certificate, legacy ABAC off (RBAC only)',
    references: ['CIS GKE 5.8.1', 'CIS GKE 5.8.3', 'OWASP K03'],
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
    references: ['CIS GKE 5.2.2', 'CIS GKE 5.4.1'],
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
    references: ['CIS GKE 4.3.1', 'NSA/CISA: network separation'],
    targets: [{ resourceType: CLUSTER, checks: [prop('datapathProvider', expect.equals('ADVANCED_DATAPATH'))] }],
  }),
  control({
    id: 'gke-release-channel',
    title: 'A supported version on a release channel with maintenance windows; node pools auto-upgrade and auto-repair',
    references: ['CIS GKE 5.5.4', 'CIS GKE 5.5.3', 'CIS GKE 5.5.2', 'OWASP K10'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('releaseChannel.channel', expect.oneOf(['REGULAR', 'STABLE'])),
          prop('minMasterVersion', expect.oneOf(GKE_VERSIONS.map((v) => v.version))),
          prop('maintenancePolicy.recurringWindow.recurrence', expect.set('a weekly recurrence')),
        ],
      },
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
    title: "Binary Authorization enforced; the project's policy (where this stack owns it) denies untrusted images",
    references: ['CIS GKE 5.1.4', 'OWASP K02'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [prop('binaryAuthorization.evaluationMode', expect.equals('PROJECT_SINGLETON_POLICY_ENFORCE'))],
      },
    ],
  }),
  {
    id: 'gke-binary-authorization-policy',
    title: 'The Binary Authorization policy blocks and audits images outside the trusted patterns',
    references: ['CIS GKE 5.1.4'],
    evaluate(plan) {
      const policies = plan.ofType(BINAUTHZ_POLICY);
      if (policies.length > 0) {
        return policies.flatMap((p) => [
          ...prop('defaultAdmissionRule.evaluationMode', expect.equals('ALWAYS_DENY'))(p, plan),
          ...prop('defaultAdmissionRule.enforcementMode', expect.equals('ENFORCED_BLOCK_AND_AUDIT_LOG'))(p, plan),
        ]);
      }
      const external = plan.ofType(CLUSTER).filter((r) => getPath(r.inputs, EXTERNAL_LABEL) === 'external');
      if (external.length === 0) return [missing(BINAUTHZ_POLICY, "the project's policy")];
      return external.map((r): Evidence => ({
        resource: `${r.type} ${r.name}`,
        property: EXTERNAL_LABEL,
        actual: 'external',
        expected: 'external only when another stack of the project owns the policy',
        pass: true,
      }));
    },
  },
  control({
    id: 'gke-node-metadata',
    title: 'Container-Optimized OS nodes, legacy metadata endpoints off, boot disks encrypted with a rotating key',
    references: ['CIS GKE 5.9.2', 'CIS GKE 5.5.1', 'CIS GKE 5.4.1'],
    targets: [
      {
        resourceType: NODE_POOL,
        checks: [
          prop('nodeConfig.metadata["disable-legacy-endpoints"]', expect.equals('true')),
          prop('nodeConfig.imageType', expect.equals('COS_CONTAINERD')),
          ref('nodeConfig.bootDiskKmsKey', CRYPTO_KEY, 'id', [prop('rotationPeriod', expect.durationAtMost(7776000))]),
        ],
      },
    ],
  }),
  control({
    id: 'gke-no-alpha-features',
    title: 'No Kubernetes alpha features; security posture on',
    references: ['CIS GKE 5.10.2', 'CIS GKE 5.10.4'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('enableKubernetesAlpha', expect.equals(false)),
          prop('securityPostureConfig.mode', expect.oneOf(['BASIC', 'ENTERPRISE'])),
        ],
      },
    ],
  }),
  control({
    id: 'gke-deletion-protection',
    title: 'Deletion protection on production clusters (and only there)',
    references: ['GKE: deletion protection'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          (r, plan) => {
            const env = getPath(r.inputs, 'resourceLabels["bulwark-environment"]');
            return prop('deletionProtection', expect.equals(env === 'prod'))(r, plan).map((e) => ({
              ...e,
              expected: `${e.expected} (environment ${JSON.stringify(env)})`,
              pass: e.pass && typeof env === 'string',
            }));
          },
        ],
      },
    ],
  }),
  control({
    id: 'gke-node-day2',
    title: 'Node pools: count owned by the autoscaler, name prefix (replacement without collision)',
    references: ['GKE: cluster autoscaler'],
    targets: [
      {
        resourceType: NODE_POOL,
        checks: [ignores(['initialNodeCount']), prop('namePrefix', expect.set('a name prefix'))],
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
