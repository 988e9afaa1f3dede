import { MOCK_ACCOUNT_ID, mockHex } from '../mock-ids';
import { CloudMocks, MockOutputs } from '../contracts/cloud-contracts';

/** AWS outputs under mocks: ARNs, ids and endpoints shaped like the real ones. No @pulumi/aws import. */
export const EKS_MOCKS: CloudMocks = {
  resource(type, name, inputs, ctx): MockOutputs | undefined {
    const hex = mockHex(`${type}/${name}`);
    const region = ctx.region;
    const arn = (service: string, resource: string, inRegion = true) =>
      `arn:aws:${service}:${inRegion ? region : ''}:${MOCK_ACCOUNT_ID}:${resource}`;
    switch (type) {
      case 'aws:kms/key:Key': {
        const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-8${hex.slice(15, 17)}0-000000000000`;
        return { id, state: { arn: arn('kms', `key/${id}`), keyId: id } };
      }
      case 'aws:cloudwatch/logGroup:LogGroup':
        return { id: String(inputs.name), state: { arn: arn('logs', `log-group:${String(inputs.name)}`) } };
      case 'aws:iam/role:Role': {
        const roleName = typeof inputs.name === 'string' ? inputs.name : `${name}-${hex.slice(0, 7)}`;
        return { id: roleName, state: { name: roleName, arn: arn('iam', `role/${roleName}`, false) } };
      }
      case 'aws:eks/cluster:Cluster': {
        const clusterName = String(inputs.name);
        const oidcId = mockHex(`oidc/${name}`, 32).toUpperCase();
        return {
          id: clusterName,
          state: {
            arn: arn('eks', `cluster/${clusterName}`),
            endpoint: `https://${oidcId}.gr7.${region}.eks.amazonaws.com`,
            certificateAuthority: { data: Buffer.from(`mock CA of ${clusterName}`).toString('base64') },
            identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${oidcId}` }] }],
            vpcConfig: {
              ...(inputs.vpcConfig as Record<string, unknown>),
              clusterSecurityGroupId: `sg-${hex}`,
              vpcId: ctx.config.vpcId,
            },
            status: 'ACTIVE',
          },
        };
      }
      case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider': {
        const host = String(inputs.url).replace(/^https:\/\//, '');
        return {
          id: arn('iam', `oidc-provider/${host}`, false),
          state: { arn: arn('iam', `oidc-provider/${host}`, false) },
        };
      }
      case 'aws:ec2/launchTemplate:LaunchTemplate':
        return { id: `lt-${hex}`, state: { arn: arn('ec2', `launch-template/lt-${hex}`), latestVersion: 1 } };
      case 'aws:eks/nodeGroup:NodeGroup': {
        // With nodeGroupNamePrefix, the provider appends a unique suffix.
        const groupName =
          typeof inputs.nodeGroupName === 'string'
            ? inputs.nodeGroupName
            : `${String(inputs.nodeGroupNamePrefix)}${mockHex(name, 26)}`;
        return {
          id: `${String(inputs.clusterName)}:${groupName}`,
          state: { nodeGroupName: groupName, arn: arn('eks', `nodegroup/${String(inputs.clusterName)}/${groupName}`) },
        };
      }
      case 'aws:eks/addon:Addon':
      case 'aws:eks/accessEntry:AccessEntry':
        return {
          id: `${String(inputs.clusterName)}:${name}`,
          state: { arn: arn('eks', `${type.split(':')[2].toLowerCase()}/${name}`) },
        };
      case 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule':
        return { id: `sgr-${hex}`, state: { arn: arn('ec2', `security-group-rule/sgr-${hex}`) } };
      default:
        return undefined;
    }
  },
  invoke(token, inputs, ctx) {
    switch (token) {
      case 'aws:index/getCallerIdentity:getCallerIdentity':
        return {
          id: MOCK_ACCOUNT_ID,
          accountId: MOCK_ACCOUNT_ID,
          arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/bulwark-plan/offline`,
          userId: 'AROAOFFLINEPLAN:offline',
        };
      case 'aws:index/getPartition:getPartition':
        return { id: 'aws', partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws' };
      case 'aws:ec2/getSubnet:getSubnet':
        return {
          id: inputs.id,
          vpcId: ctx.config.vpcId,
          mapPublicIpOnLaunch: false,
          availabilityZone: `${ctx.region}a`,
        };
      default:
        return undefined;
    }
  },
  assumptions: [
    'subnets in privateSubnetIds belong to vpcId and map no public IPs (checked against AWS at deploy time)',
    `account ${MOCK_ACCOUNT_ID}, partition aws`,
  ],
};
