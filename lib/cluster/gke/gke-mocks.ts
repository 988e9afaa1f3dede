import { MOCK_ACCOUNT_ID, mockHex } from '../mock-ids';
import { CloudMocks, MockOutputs } from '../contracts/cloud-contracts';
import { parseIpv4Cidr } from '../../k8s/cidr';

/** Google Cloud outputs under mocks: resource ids, emails and a private endpoint. No @pulumi/gcp import. */
export const GKE_MOCKS: CloudMocks = {
  resource(type, name, inputs, ctx): MockOutputs | undefined {
    const project = String(ctx.config.project);
    switch (type) {
      case 'gcp:kms/keyRing:KeyRing':
        return { id: `projects/${project}/locations/${String(inputs.location)}/keyRings/${String(inputs.name)}` };
      case 'gcp:kms/cryptoKey:CryptoKey':
        return { id: `${String(inputs.keyRing)}/cryptoKeys/${String(inputs.name)}` };
      case 'gcp:serviceaccount/account:Account': {
        const email = `${String(inputs.accountId)}@${project}.iam.gserviceaccount.com`;
        return {
          id: `projects/${project}/serviceAccounts/${email}`,
          state: { email, member: `serviceAccount:${email}` },
        };
      }
      case 'gcp:container/cluster:Cluster': {
        const master = parseIpv4Cidr(String(ctx.config.masterCidr));
        const ip = master ? [24, 16, 8, 0].map((s) => ((master.address + 2) >>> s) & 255).join('.') : '172.16.0.2';
        return {
          id: `projects/${project}/locations/${String(inputs.location)}/clusters/${String(inputs.name)}`,
          state: {
            endpoint: ip,
            controlPlaneEndpointsConfig: {
              ...(inputs.controlPlaneEndpointsConfig as Record<string, unknown>),
              dnsEndpointConfig: {
                ...((inputs.controlPlaneEndpointsConfig as { dnsEndpointConfig?: Record<string, unknown> } | undefined)
                  ?.dnsEndpointConfig ?? {}),
                endpoint: `gke-${mockHex(`dns/${name}`, 32)}-${MOCK_ACCOUNT_ID}.${String(inputs.location)}.gke.goog`,
              },
            },
            masterAuth: {
              ...(inputs.masterAuth as Record<string, unknown>),
              clusterCaCertificate: Buffer.from(`mock CA of ${String(inputs.name)}`).toString('base64'),
            },
          },
        };
      }
      case 'gcp:container/nodePool:NodePool': {
        // With namePrefix, GCP's provider appends a unique suffix.
        const poolName =
          typeof inputs.name === 'string' ? inputs.name : `${String(inputs.namePrefix)}${mockHex(name, 8)}`;
        return { id: `${String(inputs.cluster)}/nodePools/${poolName}`, state: { name: poolName } };
      }
      case 'gcp:logging/projectBucketConfig:ProjectBucketConfig':
        return {
          id: `projects/${project}/locations/${String(inputs.location)}/buckets/${String(inputs.bucketId)}`,
        };
      case 'gcp:logging/projectSink:ProjectSink':
        return {
          id: `projects/${project}/sinks/${String(inputs.name)}`,
          state: { writerIdentity: `serviceAccount:service-${MOCK_ACCOUNT_ID}@gcp-sa-logging.iam.gserviceaccount.com` },
        };
      default:
        return type.startsWith('gcp:') ? { id: `${name}-${mockHex(`${type}/${name}`, 8)}` } : undefined;
    }
  },
  invoke(token, inputs) {
    if (token === 'gcp:organizations/getProject:getProject') {
      return { id: `projects/${String(inputs.projectId)}`, projectId: inputs.projectId, number: MOCK_ACCOUNT_ID };
    }
    return undefined;
  },
  assumptions: [
    `project number ${MOCK_ACCOUNT_ID}`,
    'network, subnetwork and the secondary ranges exist (GKE checks them at deploy time)',
  ],
};
