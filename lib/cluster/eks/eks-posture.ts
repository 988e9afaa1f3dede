import { parseIpv4Cidr } from '../../k8s/cidr';
import { getPath, PlannedResource, PlanView } from '../posture/planned-resource';
import { isolatedPoolsControl } from '../posture/isolated-pools-control';
import { control, expect, ignores, PostureControl, prop, ref, related } from '../posture/posture-control';
import { EKS_MANAGED_ADDONS, EKS_VERSIONS } from './eks-versions';

// Type tokens only: this module must not load @pulumi/aws (the plan loads it only for AWS stacks).
const CLUSTER = 'aws:eks/cluster:Cluster';
const KMS_KEY = 'aws:kms/key:Key';
const LOG_GROUP = 'aws:cloudwatch/logGroup:LogGroup';
const ACCESS_ENTRY = 'aws:eks/accessEntry:AccessEntry';
const OIDC = 'aws:iam/openIdConnectProvider:OpenIdConnectProvider';
const ADDON = 'aws:eks/addon:Addon';
const ROLE = 'aws:iam/role:Role';
const LAUNCH_TEMPLATE = 'aws:ec2/launchTemplate:LaunchTemplate';
const NODE_GROUP = 'aws:eks/nodeGroup:NodeGroup';
const INGRESS_RULE = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';

const ALL_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

const keyRotates = [prop('enableKeyRotation', expect.equals(true))];

/** The cluster a resource belongs to, by the `clusterName` input it was given. */
function clusterOf(r: PlannedResource, plan: PlanView): PlannedResource | undefined {
  return plan.ofType(CLUSTER).find((c) => c.inputs.name === r.inputs.clusterName);
}

/** The launch template a node group uses; every node property below is proven on it. */
function launchTemplate(checks: Parameters<typeof ref>[3]) {
  return ref('launchTemplate.id', LAUNCH_TEMPLATE, 'id', checks);
}

const narrowCidr = expect.that('an IPv4 CIDR of /8 or narrower (never 0.0.0.0/0)', (a) => {
  const c = typeof a === 'string' ? parseIpv4Cidr(a) : undefined;
  return c !== undefined && c.prefix >= 8;
});

/** Posture checklist of a HardenedEksCluster stack, computed from the registered resources. */
export const EKS_CONTROLS: readonly PostureControl[] = [
  control({
    id: 'eks-secrets-encryption',
    title: 'Secrets encrypted in etcd with a customer-managed KMS key that rotates',
    references: ['CIS EKS 5.3.1', 'NSA/CISA: encrypt Secrets at rest'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('encryptionConfig.resources', expect.includesAll(['secrets'])),
          ref('encryptionConfig.provider.keyArn', KMS_KEY, 'arn', keyRotates),
        ],
      },
    ],
  }),
  control({
    id: 'eks-private-endpoint',
    title: 'API endpoint private only (public endpoint off)',
    references: ['CIS EKS 5.4.2'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('vpcConfig.endpointPrivateAccess', expect.equals(true)),
          prop('vpcConfig.endpointPublicAccess', expect.equals(false)),
        ],
      },
    ],
  }),
  control({
    id: 'eks-authorized-networks',
    title: 'Private endpoint reachable on 443 from the authorized networks only',
    references: ['CIS EKS 5.4.1'],
    targets: [
      {
        resourceType: INGRESS_RULE,
        checks: [
          prop('cidrIpv4', narrowCidr),
          prop('fromPort', expect.equals(443)),
          prop('toPort', expect.equals(443)),
        ],
      },
    ],
  }),
  control({
    id: 'eks-audit-logs',
    title: 'All control-plane log types (incl. audit) to an encrypted log group kept >= 365 days',
    references: ['CIS EKS 2.1.1', 'CIS EKS 2.1.2', 'NSA/CISA: audit logging'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('enabledClusterLogTypes', expect.includesAll(ALL_LOG_TYPES)),
          related(
            'log group /aws/eks/<name>/cluster',
            (c, plan) => plan.ofType(LOG_GROUP).filter((g) => g.inputs.name === `/aws/eks/${c.inputs.name}/cluster`),
            [prop('retentionInDays', expect.atLeast(365)), ref('kmsKeyId', KMS_KEY, 'arn', keyRotates)],
          ),
        ],
      },
    ],
  }),
  control({
    id: 'eks-access-entries',
    title: 'Access entries only (authentication mode API, no aws-auth, no implicit creator admin)',
    references: ['CIS EKS 4.1.7', 'EKS best practices: IAM (cluster access manager)', 'OWASP K03'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('accessConfig.authenticationMode', expect.equals('API')),
          prop('accessConfig.bootstrapClusterCreatorAdminPermissions', expect.equals(false)),
          related(
            'access entries of the cluster',
            (c, plan) => plan.ofType(ACCESS_ENTRY).filter((e) => e.inputs.clusterName === c.inputs.name),
            [
              prop(
                'principalArn',
                expect.that('an IAM role ARN', (a) => typeof a === 'string' && /:role\//.test(a)),
              ),
            ],
          ),
        ],
      },
    ],
  }),
  control({
    id: 'eks-irsa',
    title: 'IRSA: OIDC provider for service-account roles; the VPC CNI uses its own role, not the node role',
    references: ['CIS EKS 5.2.1'],
    targets: [
      {
        resourceType: OIDC,
        checks: [
          prop('url', expect.set('the cluster OIDC issuer')),
          prop('clientIdLists', expect.includesAll(['sts.amazonaws.com'])),
        ],
      },
      {
        resourceType: ADDON,
        where: (r) => r.inputs.addonName === 'vpc-cni',
        whereDescribe: 'vpc-cni add-on',
        checks: [ref('serviceAccountRoleArn', ROLE, 'arn', [])],
      },
    ],
  }),
  control({
    id: 'eks-network-policy',
    title: 'NetworkPolicy enforced by the VPC CNI network policy agent',
    references: ['CIS EKS 5.4.4', 'CIS EKS 4.3.1', 'NSA/CISA: network separation'],
    targets: [
      {
        resourceType: ADDON,
        where: (r) => r.inputs.addonName === 'vpc-cni',
        whereDescribe: 'vpc-cni add-on',
        checks: [prop('configurationValues', expect.json('enableNetworkPolicy', expect.equals('true')))],
      },
    ],
  }),
  control({
    id: 'eks-imdsv2',
    title: 'Nodes require IMDSv2 with hop limit 1 and keep instance tags out of the metadata service',
    references: ['EKS best practices: restrict access to the instance profile', 'NSA/CISA: protect node credentials'],
    targets: [
      {
        resourceType: NODE_GROUP,
        checks: [
          launchTemplate([
            prop('metadataOptions.httpTokens', expect.equals('required')),
            prop('metadataOptions.httpPutResponseHopLimit', expect.equals(1)),
            prop('metadataOptions.instanceMetadataTags', expect.equals('disabled')),
          ]),
        ],
      },
    ],
  }),
  control({
    id: 'eks-node-hardening',
    title: 'Nodes: encrypted root volumes, no SSH key, no remote access',
    references: ['EKS best practices: node hardening', 'NSA/CISA: minimize node access'],
    targets: [
      {
        resourceType: NODE_GROUP,
        checks: [
          prop('remoteAccess', expect.absent()),
          launchTemplate([
            prop('blockDeviceMappings', expect.every(expect.field('ebs.encrypted', expect.equals('true')))),
            prop('keyName', expect.absent()),
          ]),
        ],
      },
    ],
  }),
  control({
    id: 'eks-private-nodes',
    title: "Nodes only in the cluster's private subnets (public-IP mapping refused at deploy time)",
    references: ['CIS EKS 5.4.3'],
    targets: [
      {
        resourceType: NODE_GROUP,
        checks: [
          (r, plan) => {
            const cluster = clusterOf(r, plan);
            const allowed = (getPath(cluster?.inputs, 'vpcConfig.subnetIds') as unknown[] | undefined) ?? [];
            return prop(
              'subnetIds',
              expect.that(
                "subnets of the cluster's vpcConfig.subnetIds",
                (a) => Array.isArray(a) && a.length > 0 && a.every((s) => allowed.includes(s)),
              ),
            )(r, plan);
          },
        ],
      },
    ],
  }),
  control({
    id: 'eks-version-lifecycle',
    title: 'A version in EKS standard support, upgradePolicy STANDARD, every core add-on EKS-managed and pinned',
    references: ['EKS: Kubernetes version lifecycle', 'EKS best practices: cluster upgrades', 'OWASP K10'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          prop('version', expect.oneOf(EKS_VERSIONS.map((v) => v.version))),
          prop('upgradePolicy.supportType', expect.equals('STANDARD')),
          prop('bootstrapSelfManagedAddons', expect.equals(false)),
          related(
            `managed add-ons ${EKS_MANAGED_ADDONS.join(', ')}`,
            (c, plan) => plan.ofType(ADDON).filter((a) => a.inputs.clusterName === c.inputs.name),
            [
              prop(
                'addonVersion',
                expect.that(
                  'a pinned version vX.Y.Z-eksbuild.N',
                  (a) => typeof a === 'string' && /^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(a),
                ),
              ),
            ],
            EKS_MANAGED_ADDONS.length,
          ),
        ],
      },
    ],
  }),
  control({
    id: 'eks-deletion-protection',
    title: 'Deletion protection on production clusters (and only there)',
    references: ['EKS: cluster deletion protection'],
    targets: [
      {
        resourceType: CLUSTER,
        checks: [
          (r, plan) => {
            const env = getPath(r.inputs, 'tags["bulwark:environment"]');
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
    id: 'eks-encrypted-volumes',
    title: 'The EBS CSI driver runs with its own IRSA role (volumes encrypted with the cluster key)',
    references: ['CIS EKS 5.2.1', 'NSA/CISA: encrypt data at rest'],
    targets: [
      {
        resourceType: ADDON,
        where: (r) => r.inputs.addonName === 'aws-ebs-csi-driver',
        whereDescribe: 'aws-ebs-csi-driver add-on',
        checks: [ref('serviceAccountRoleArn', ROLE, 'arn', [])],
      },
    ],
  }),
  control({
    id: 'eks-node-day2',
    title: 'Node groups: count owned by the autoscaler, name prefix (replacement without collision)',
    references: ['EKS best practices: cluster autoscaling'],
    targets: [
      {
        resourceType: NODE_GROUP,
        checks: [ignores(['scalingConfig.desiredSize']), prop('nodeGroupNamePrefix', expect.set('a name prefix'))],
      },
    ],
  }),
  isolatedPoolsControl({
    id: 'eks-isolated-pools',
    references: ['NSA/CISA: separate sensitive workloads', 'OWASP K07'],
    poolType: NODE_GROUP,
    pools: (plan) =>
      plan.ofType(NODE_GROUP).map((resource) => ({ resource, at: '', labelsPath: 'labels', taintsPath: 'taints' })),
  }),
];
