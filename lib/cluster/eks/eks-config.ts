import { readCommonConfig } from '../config/common-config';
import { ConfigReader } from '../config/config-reader';
import type { CloudConventions, CommonClusterConfig } from '../contracts/cloud-contracts';
import { EKS_VERSIONS } from './eks-versions';

/** What a team chooses for an EKS cluster; everything else is fixed hardening in HardenedEksCluster. */
export interface EksClusterConfig extends CommonClusterConfig {
  readonly cloud: 'aws';
  readonly vpcId: string;
  /** Private subnets (no public IP on launch), in at least two availability zones, for the API ENIs and the nodes. */
  readonly privateSubnetIds: readonly string[];
  /** IAM roles given cluster-admin through EKS access entries; the first one is assumed by the kubeconfig. */
  readonly adminRoleArns: readonly string[];
}

export const EKS_CONVENTIONS: CloudConventions = {
  machineTypeField: 'instanceType',
  machineTypePattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
  machineTypeExample: 'm6i.large',
  regionPattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
  regionExample: 'eu-west-1',
  // IAM role names (64 characters) carry the cluster name and a suffix such as `-cluster-role`.
  maxClusterNameLength: 32,
  supportedVersions: EKS_VERSIONS.map((v) => v.version),
  // EKS has no managed GitOps: the baseline stack runs from a runner inside the VPC (or in-program from inside it).
  applyPaths: ['separate-stack', 'in-program'],
};

export function readEksConfig(r: ConfigReader): EksClusterConfig | undefined {
  const common = readCommonConfig(r, EKS_CONVENTIONS);
  const vpcId = r.string('vpcId', r.value('vpcId'), {
    pattern: /^vpc-[0-9a-f]{8,17}$/,
    allowed: 'a VPC id such as "vpc-0a1b2c3d4e5f67890"',
    fix: 'set the id of the VPC the private subnets belong to',
  });
  const privateSubnetIds = r.stringList(
    'privateSubnetIds',
    2,
    {
      allowed: 'a list of at least two private subnet ids in different availability zones (EKS needs two zones)',
      fix: 'list the private subnets, e.g. privateSubnetIds: ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]',
    },
    {
      pattern: /^subnet-[0-9a-f]{8,17}$/,
      allowed: 'a subnet id such as "subnet-0a1b2c3d4e5f67890"',
      fix: 'use the id of a private subnet (one that does not map public IPs on launch)',
    },
  );
  const adminRoleArns = r.stringList(
    'adminRoleArns',
    1,
    {
      allowed: 'a list of at least one IAM role ARN that administers the cluster',
      fix: 'add the platform team\'s role, e.g. adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"]',
    },
    {
      pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
      allowed: 'an IAM role ARN such as "arn:aws:iam::123456789012:role/platform-admin" (roles, not users)',
      fix: 'use a role that people and CI assume; long-lived IAM users are not given cluster access',
    },
  );
  if (common === undefined || vpcId === undefined || privateSubnetIds === undefined || adminRoleArns === undefined) {
    return undefined;
  }
  return { cloud: 'aws', ...common, vpcId, privateSubnetIds, adminRoleArns };
}
