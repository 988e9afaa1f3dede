import { getPath, PlannedResource, PlanView, resourceLabel } from '../posture/planned-resource';
import { Check, control, Evidence, expect, PostureControl, prop, ref, related } from '../posture/posture-control';

/**
 * The log-shipping add-on (`bulwark:addons.log-shipping: {}`): container (stdout/stderr of every pod) and node logs
 * (kubelet, container runtime, system journal) kept in the cloud's logging service as long as the audit logs.
 *
 * Why each cloud's managed agent and no DaemonSet of ours (Fluent Bit, Vector): a log agent must read every pod's log
 * files on every node, so it runs as a hostPath-mounting DaemonSet on every node, which bulwark would have to grant
 * host access and keep patched. The clouds run and patch that agent themselves, with their own identity wiring:
 * - EKS: the `amazon-cloudwatch-observability` managed add-on (CloudWatch agent + Fluent Bit), pinned per Kubernetes
 *   version in eks-versions, with its own IRSA role; it writes to the Container Insights log groups, which bulwark
 *   creates first with the audit logs' retention and the cluster's logs key (it would otherwise create them itself,
 *   unencrypted and kept forever).
 * - GKE: the logging agent is part of GKE: `loggingConfig.enableComponents` SYSTEM_COMPONENTS and WORKLOADS (always
 *   on in bulwark's clusters) send node and container logs to Cloud Logging, and the cluster's sink routes them to its
 *   365-day bucket; the add-on's control checks that, nothing is created.
 * - AKS: the Container Insights (Azure Monitor agent) add-on profile `omsagent`, on the cluster's Log Analytics
 *   workspace (the audit logs' workspace, kept 365 days), authenticating with managed identity.
 */
export const LOG_SHIPPING_RETENTION_DAYS = 365;

/** The EKS managed add-on that ships container and node logs to CloudWatch. */
export const CLOUDWATCH_OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';
/** Namespace and service account of its agent (the IRSA role's subject). */
export const CLOUDWATCH_AGENT_NAMESPACE = 'amazon-cloudwatch';
export const CLOUDWATCH_AGENT_ACCOUNT = 'cloudwatch-agent';
/**
 * The Container Insights log groups the add-on writes to, `/aws/containerinsights/<cluster>/<kind>`: pods' logs
 * (application), node journal and kubelet (host), container runtime and kube-proxy (dataplane), and the performance
 * events of Container Insights (performance).
 */
export const CONTAINER_INSIGHTS_LOG_KINDS = ['application', 'host', 'dataplane', 'performance'] as const;

export function containerInsightsLogGroup(clusterName: string, kind: string): string {
  return `/aws/containerinsights/${clusterName}/${kind}`;
}

/** The GKE logging components that carry node (SYSTEM_COMPONENTS) and container (WORKLOADS) logs. */
export const GKE_SHIPPED_COMPONENTS = ['SYSTEM_COMPONENTS', 'WORKLOADS'];

const EKS_ADDON = 'aws:eks/addon:Addon';
const IAM_ROLE = 'aws:iam/role:Role';
const KMS_KEY = 'aws:kms/key:Key';
const LOG_GROUP = 'aws:cloudwatch/logGroup:LogGroup';
const GKE_CLUSTER = 'gcp:container/cluster:Cluster';
const LOG_BUCKET = 'gcp:logging/projectBucketConfig:ProjectBucketConfig';
const LOG_SINK = 'gcp:logging/projectSink:ProjectSink';
const AKS_CLUSTER = 'azure-native:containerservice:ManagedCluster';
const WORKSPACE = 'azure-native:operationalinsights:Workspace';
const DCR = 'azure-native:monitor:DataCollectionRule';
const DCR_ASSOCIATION = 'azure-native:monitor:DataCollectionRuleAssociation';
/** AKS: the Container Insights stream of container logs (ContainerLogV2), node inventory and performance data. */
export const CONTAINER_INSIGHTS_STREAM = 'Microsoft-ContainerInsights-Group-Default';

const retained = prop('retentionInDays', expect.atLeast(LOG_SHIPPING_RETENTION_DAYS));

/** Every Container Insights log group of the add-on's cluster exists, is kept a year and is encrypted with our key. */
const containerInsightsLogGroups: Check = (addon, plan) => {
  const cluster = String(addon.inputs.clusterName);
  return CONTAINER_INSIGHTS_LOG_KINDS.flatMap((kind): readonly Evidence[] => {
    const name = containerInsightsLogGroup(cluster, kind);
    const group = plan.ofType(LOG_GROUP).find((g) => g.inputs.name === name);
    if (group === undefined) {
      return [
        {
          resource: resourceLabel(addon),
          property: `(log group ${name})`,
          actual: undefined,
          expected: `a ${LOG_GROUP} created by the stack (else the agent creates it unencrypted, kept forever)`,
          pass: false,
        },
      ];
    }
    return [
      retained(group, plan),
      ref('kmsKeyId', KMS_KEY, 'arn', [prop('enableKeyRotation', expect.equals(true))])(group, plan),
    ].flat();
  });
};

/** The IRSA trust of the agent's role names the agent's service account, and nothing else. */
const agentTrust = prop(
  'assumeRolePolicy',
  expect.json(
    'Statement[0].Condition.StringEquals',
    expect.that(
      `sub = system:serviceaccount:${CLOUDWATCH_AGENT_NAMESPACE}:${CLOUDWATCH_AGENT_ACCOUNT}`,
      (c) =>
        typeof c === 'object' &&
        c !== null &&
        Object.entries(c).some(
          ([k, v]) =>
            k.endsWith(':sub') &&
            v === `system:serviceaccount:${CLOUDWATCH_AGENT_NAMESPACE}:${CLOUDWATCH_AGENT_ACCOUNT}`,
        ),
    ),
  ),
);

const EKS_CONTROL_TARGETS = [
  {
    resourceType: EKS_ADDON,
    where: (r: PlannedResource) => r.inputs.addonName === CLOUDWATCH_OBSERVABILITY_ADDON,
    whereDescribe: `EKS add-on ${CLOUDWATCH_OBSERVABILITY_ADDON}`,
    checks: [
      prop(
        'addonVersion',
        expect.that(
          'a pinned version vX.Y.Z-eksbuild.N',
          (a) => typeof a === 'string' && /^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(a),
        ),
      ),
      prop('configurationValues', expect.json('containerLogs.enabled', expect.equals(true))),
      ref('serviceAccountRoleArn', IAM_ROLE, 'arn', [agentTrust]),
      containerInsightsLogGroups,
    ],
  },
];

/** GKE: the cluster logs nodes and containers, and its sink routes them to a bucket kept a year. */
const gkeShipped: Check = (c, plan: PlanView) => [
  ...prop('loggingConfig.enableComponents', expect.includesAll(GKE_SHIPPED_COMPONENTS))(c, plan),
  ...related(
    "the cluster's log sink",
    (cluster, p) =>
      p
        .ofType(LOG_SINK)
        .filter((s) =>
          String(s.inputs.filter ?? '').includes(`resource.labels.cluster_name="${String(cluster.inputs.name)}"`),
        ),
    [
      prop(
        'filter',
        expect.that('routes k8s_container and k8s_node logs', (f) =>
          ['"k8s_container"', '"k8s_node"'].every((t) => typeof f === 'string' && f.includes(t)),
        ),
      ),
      (sink, p) => {
        const destination = String(sink.inputs.destination ?? '');
        const bucket = p.ofType(LOG_BUCKET).find((b) => destination === `logging.googleapis.com/${b.id}`);
        const link: Evidence = {
          resource: resourceLabel(sink),
          property: 'destination',
          actual: destination,
          expected: `a registered ${LOG_BUCKET}`,
          pass: bucket !== undefined,
        };
        return bucket
          ? [link, ...prop('retentionDays', expect.atLeast(LOG_SHIPPING_RETENTION_DAYS))(bucket, p)]
          : [link];
      },
    ],
  )(c, plan),
];

const AKS_AGENT = 'addonProfiles.omsagent';

/** The Log Analytics workspace the AKS add-on profile names (a resource id, compared case-insensitively as Azure does). */
const aksWorkspace: Check = (c, plan) => {
  const id = getPath(c.inputs, `${AKS_AGENT}.config.logAnalyticsWorkspaceResourceID`);
  const workspace = plan
    .ofType(WORKSPACE)
    .find((w) => typeof id === 'string' && typeof w.id === 'string' && w.id.toLowerCase() === id.toLowerCase());
  const link: Evidence = {
    resource: resourceLabel(c),
    property: `${AKS_AGENT}.config.logAnalyticsWorkspaceResourceID`,
    actual: id,
    expected: `the id of a registered ${WORKSPACE}`,
    pass: workspace !== undefined,
  };
  return workspace ? [link, ...retained(workspace, plan)] : [link];
};

/** The `addon-log-shipping` control of a cloud: reads the planned resources, never the config. */
export function logShippingControl(cloud: 'aws' | 'gcp' | 'azure'): PostureControl {
  const common = {
    id: 'addon-log-shipping',
    references: ['NSA/CISA: logging and threat detection', 'OWASP K05 (inadequate logging)', 'CIS 2.1 (logging)'],
  };
  switch (cloud) {
    case 'aws':
      return control({
        ...common,
        title: `Container and node logs shipped to CloudWatch by the ${CLOUDWATCH_OBSERVABILITY_ADDON} add-on, kept >= ${LOG_SHIPPING_RETENTION_DAYS} days`,
        targets: EKS_CONTROL_TARGETS,
      });
    case 'gcp':
      return control({
        ...common,
        title: `Container and node logs shipped to Cloud Logging, routed to a bucket kept >= ${LOG_SHIPPING_RETENTION_DAYS} days`,
        targets: [{ resourceType: GKE_CLUSTER, checks: [gkeShipped] }],
      });
    case 'azure':
      return control({
        ...common,
        title: `Container and node logs shipped to Log Analytics by Container Insights (omsagent), kept >= ${LOG_SHIPPING_RETENTION_DAYS} days`,
        targets: [
          {
            resourceType: AKS_CLUSTER,
            checks: [
              prop(`${AKS_AGENT}.enabled`, expect.equals(true)),
              prop(`${AKS_AGENT}.config.useAADAuth`, expect.equals('true')),
              aksWorkspace,
              related(
                'data collection rule association of the cluster',
                (c, p) => p.ofType(DCR_ASSOCIATION).filter((a) => a.inputs.resourceUri === c.id),
                [
                  ref('dataCollectionRuleId', DCR, 'id', [
                    prop(
                      'dataFlows',
                      expect.that(
                        `a flow of ${CONTAINER_INSIGHTS_STREAM}`,
                        (f) =>
                          Array.isArray(f) &&
                          f.some((x) => expect.includesAll([CONTAINER_INSIGHTS_STREAM]).test(getPath(x, 'streams'))),
                      ),
                    ),
                  ]),
                ],
              ),
            ],
          },
        ],
      });
  }
}
