import { stringify } from 'yaml';
import { parseIpv4Cidr } from '../../k8s/cidr';
import { mockHex } from '../mock-ids';
import { CloudMocks, MockContext, MockOutputs } from '../contracts/cloud-contracts';

/** A stable GUID derived from a seed (object ids, principal ids, key versions). */
export function mockGuid(seed: string): string {
  const h = mockHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The Entra ID tenant the offline plan assumes. */
export const MOCK_TENANT_ID = mockGuid('bulwark-plan/tenant');

/**
 * The node subnet's address range under mocks: the first /22 of the /16 holding the API server range, or the second
 * when the API server range lies in the first (a real subnet is looked up at deploy time).
 */
export function mockNodeSubnetPrefix(apiServerSubnetCidr: unknown): string {
  const api = typeof apiServerSubnetCidr === 'string' ? parseIpv4Cidr(apiServerSubnetCidr) : undefined;
  if (!api) return '10.240.0.0/22';
  const [a, b, c] = [24, 16, 8].map((s) => (api.address >>> s) & 255);
  return `${a}.${b}.${c < 4 ? 4 : 0}.0/22`;
}

const str = (v: unknown) => String(v);

function resourceGroupId(ctx: MockContext, rg: unknown): string {
  return `/subscriptions/${str(ctx.config.subscriptionId)}/resourceGroups/${str(rg)}`;
}

/** The private FQDN AKS gives a private cluster, e.g. `payroll-prod-1a2b3c4d.<guid>.privatelink.westeurope.azmk8s.io`. */
function privateFqdn(clusterName: string, region: string): string {
  return `${clusterName}-${mockHex(`aks/${clusterName}`, 8)}.${mockGuid(`aks-dns/${clusterName}`)}.privatelink.${region}.azmk8s.io`;
}

/** Azure outputs under mocks: ARM resource ids, principal ids, key URIs and a private FQDN. No azure-native import. */
export const AKS_MOCKS: CloudMocks = {
  resource(type, name, inputs, ctx): MockOutputs | undefined {
    const rg = resourceGroupId(ctx, inputs.resourceGroupName);
    const provider = (path: string) => `${rg}/providers/${path}`;
    switch (type) {
      case 'azure-native:resources:ResourceGroup':
        return { id: rg, state: { name: inputs.resourceGroupName } };
      case 'azure-native:managedidentity:UserAssignedIdentity':
        return {
          id: provider(`Microsoft.ManagedIdentity/userAssignedIdentities/${str(inputs.resourceName)}`),
          state: {
            name: inputs.resourceName,
            principalId: mockGuid(`principal/${name}`),
            clientId: mockGuid(`client/${name}`),
            tenantId: MOCK_TENANT_ID,
          },
        };
      case 'azure-native:operationalinsights:Workspace':
        return {
          id: provider(`Microsoft.OperationalInsights/workspaces/${str(inputs.workspaceName)}`),
          state: { name: inputs.workspaceName, customerId: mockGuid(`workspace/${name}`) },
        };
      case 'azure-native:network:NetworkSecurityGroup':
        return {
          id: provider(`Microsoft.Network/networkSecurityGroups/${str(inputs.networkSecurityGroupName)}`),
          state: { name: inputs.networkSecurityGroupName },
        };
      case 'azure-native:network:Subnet':
        return {
          id: provider(
            `Microsoft.Network/virtualNetworks/${str(inputs.virtualNetworkName)}/subnets/${str(inputs.subnetName)}`,
          ),
          state: { name: inputs.subnetName },
        };
      case 'azure-native:keyvault:Vault':
        return {
          id: provider(`Microsoft.KeyVault/vaults/${str(inputs.vaultName)}`),
          state: {
            name: inputs.vaultName,
            properties: {
              ...(inputs.properties as Record<string, unknown>),
              vaultUri: `https://${str(inputs.vaultName)}.vault.azure.net/`,
            },
          },
        };
      case 'azure-native:keyvault:Key': {
        const keyUri = `https://${str(inputs.vaultName)}.vault.azure.net/keys/${str(inputs.keyName)}`;
        return {
          id: provider(`Microsoft.KeyVault/vaults/${str(inputs.vaultName)}/keys/${str(inputs.keyName)}`),
          state: { name: inputs.keyName, keyUri, keyUriWithVersion: `${keyUri}/${mockHex(`key/${name}`, 32)}` },
        };
      }
      case 'azure-native:compute:DiskEncryptionSet':
        return {
          id: provider(`Microsoft.Compute/diskEncryptionSets/${str(inputs.diskEncryptionSetName)}`),
          state: {
            name: inputs.diskEncryptionSetName,
            identity: { type: 'SystemAssigned', principalId: mockGuid(`principal/${name}`), tenantId: MOCK_TENANT_ID },
            provisioningState: 'Succeeded',
          },
        };
      case 'azure-native:privatedns:PrivateZone':
        return {
          id: provider(`Microsoft.Network/privateDnsZones/${str(inputs.privateZoneName)}`),
          state: { name: inputs.privateZoneName },
        };
      case 'azure-native:privatedns:VirtualNetworkLink':
        return {
          id: provider(
            `Microsoft.Network/privateDnsZones/${str(inputs.privateZoneName)}/virtualNetworkLinks/${str(inputs.virtualNetworkLinkName)}`,
          ),
        };
      case 'azure-native:network:PrivateEndpoint':
        return {
          id: provider(`Microsoft.Network/privateEndpoints/${str(inputs.privateEndpointName)}`),
          state: { name: inputs.privateEndpointName },
        };
      case 'azure-native:network:PrivateDnsZoneGroup':
        return {
          id: provider(
            `Microsoft.Network/privateEndpoints/${str(inputs.privateEndpointName)}/privateDnsZoneGroups/${str(inputs.privateDnsZoneGroupName)}`,
          ),
        };
      case 'azure-native:containerservice:ManagedCluster': {
        const clusterName = str(inputs.resourceName);
        return {
          id: provider(`Microsoft.ContainerService/managedClusters/${clusterName}`),
          state: {
            name: clusterName,
            privateFQDN: privateFqdn(clusterName, ctx.region),
            oidcIssuerProfile: {
              enabled: true,
              issuerURL: `https://${ctx.region}.oic.prod-aks.azure.com/${MOCK_TENANT_ID}/${mockGuid(`oidc/${name}`)}/`,
            },
            provisioningState: 'Succeeded',
          },
        };
      }
      case 'azure-native:containerservice:AgentPool':
        return {
          id: provider(
            `Microsoft.ContainerService/managedClusters/${str(inputs.resourceName)}/agentPools/${str(inputs.agentPoolName)}`,
          ),
          state: { name: inputs.agentPoolName },
        };
      case 'azure-native:authorization:RoleAssignment':
        return {
          id: `${str(inputs.scope)}/providers/Microsoft.Authorization/roleAssignments/${mockGuid(`role/${name}`)}`,
        };
      case 'azure-native:monitor:DiagnosticSetting':
        return { id: `${str(inputs.resourceUri)}/providers/Microsoft.Insights/diagnosticSettings/${str(inputs.name)}` };
      default:
        return undefined;
    }
  },
  invoke(token, inputs, ctx) {
    switch (token) {
      case 'azure-native:authorization:getClientConfig':
        return {
          clientId: mockGuid('bulwark-plan/client'),
          objectId: mockGuid('bulwark-plan/object'),
          subscriptionId: ctx.config.subscriptionId,
          tenantId: MOCK_TENANT_ID,
        };
      case 'azure-native:network:getSubnet': {
        const sub = str(ctx.config.subscriptionId);
        return {
          id: `/subscriptions/${sub}/resourceGroups/${str(inputs.resourceGroupName)}/providers/Microsoft.Network/virtualNetworks/${str(inputs.virtualNetworkName)}/subnets/${str(inputs.subnetName)}`,
          name: inputs.subnetName,
          addressPrefix: mockNodeSubnetPrefix(ctx.config.apiServerSubnetCidr),
          delegations: [],
          ...(ctx.config.outboundType === 'userDefinedRouting'
            ? {
                routeTable: {
                  id: `/subscriptions/${sub}/resourceGroups/${str(inputs.resourceGroupName)}/providers/Microsoft.Network/routeTables/${str(inputs.virtualNetworkName)}-egress`,
                },
              }
            : {}),
          provisioningState: 'Succeeded',
        };
      }
      case 'azure-native:containerservice:listManagedClusterUserCredentials': {
        const clusterName = str(inputs.resourceName);
        const kubeconfig = stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: clusterName,
              cluster: {
                server: `https://${privateFqdn(clusterName, ctx.region)}:443`,
                'certificate-authority-data': Buffer.from(`mock CA of ${clusterName}`).toString('base64'),
              },
            },
          ],
          users: [{ name: `clusterUser_${clusterName}`, user: { exec: { command: 'kubelogin' } } }],
        });
        return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(kubeconfig).toString('base64') }] };
      }
      default:
        return undefined;
    }
  },
  assumptions: [
    `tenant ${MOCK_TENANT_ID}`,
    'nodeSubnetId exists, is not delegated and its range (answered offline as a /22 next to apiServerSubnetCidr) does not overlap the API server range (checked against Azure at deploy time)',
    'with outboundType userDefinedRouting: the node subnet has a route table sending 0.0.0.0/0 to a firewall (checked for a route table at deploy time)',
    'the subscription has the EncryptionAtHost feature registered and API Server VNet Integration is available in the region',
  ],
};
