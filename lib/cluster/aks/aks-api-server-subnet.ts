import * as authorization from '@pulumi/azure-native/authorization';
import * as network from '@pulumi/azure-native/network';
import type { input } from '@pulumi/azure-native/types';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { SubnetRef } from './aks-config';
import { roleDefinitionId } from './aks-roles';

export interface AksApiServerSubnetArgs {
  readonly clusterName: string;
  readonly subscriptionId: string;
  readonly region: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly nodeSubnet: SubnetRef;
  /** The node subnet's address range (checked at deploy time). */
  readonly nodeSubnetPrefix: pulumi.Input<string>;
  readonly cidr: string;
  readonly authorizedNetworks: readonly string[];
  /** The cluster identity, which joins the API server into the subnet. */
  readonly identityPrincipalId: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/** One inbound rule of the API server subnet's NSG. */
export function apiRule(
  name: string,
  priority: number,
  access: 'Allow' | 'Deny',
  source: string,
  ports: readonly string[],
  destination: string,
): input.network.SecurityRuleArgs {
  return {
    name,
    priority,
    access,
    direction: 'Inbound',
    protocol: 'Tcp',
    sourceAddressPrefix: source,
    sourcePortRange: '*',
    destinationAddressPrefix: destination,
    destinationPortRanges: [...ports],
  };
}

/**
 * The delegated subnet the API server is projected into (API Server VNet Integration, which KMS with a private key
 * vault requires). Its NSG admits the nodes (443, 4443), the Azure load balancer probe (9988, AKS docs) and the
 * authorized networks on 443, and denies the API ports to everything else in or peered with the VNet.
 */
export class AksApiServerSubnet extends BulwarkComponent {
  public readonly subnetId: pulumi.Output<string>;
  /** The role assignment that must exist before the cluster. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: AksApiServerSubnetArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksApiServerSubnet', name, opts);
    const child = { parent: this };
    const nsgArgs: network.NetworkSecurityGroupArgs = {
      networkSecurityGroupName: `${args.clusterName}-apiserver`,
      resourceGroupName: args.resourceGroupName,
      location: args.region,
      securityRules: pulumi
        .output(args.nodeSubnetPrefix)
        .apply((nodes) => [
          apiRule('allow-nodes', 100, 'Allow', nodes, ['443', '4443'], args.cidr),
          apiRule('allow-azure-lb-probe', 110, 'Allow', 'AzureLoadBalancer', ['9988'], args.cidr),
          ...args.authorizedNetworks.map((cidr, i) =>
            apiRule(`allow-authorized-${i}`, 200 + i, 'Allow', cidr, ['443'], args.cidr),
          ),
          apiRule('deny-other', 4000, 'Deny', '*', ['443', '4443'], args.cidr),
        ]),
      tags: { ...args.tags },
    };
    const nsg = new network.NetworkSecurityGroup(`${name}-nsg`, nsgArgs, child);
    const subnetArgs: network.SubnetArgs = {
      subnetName: `${args.clusterName}-apiserver`,
      resourceGroupName: args.nodeSubnet.resourceGroupName,
      virtualNetworkName: args.nodeSubnet.virtualNetworkName,
      addressPrefix: args.cidr,
      delegations: [{ name: 'aks-apiserver', serviceName: 'Microsoft.ContainerService/managedClusters' }],
      networkSecurityGroup: { id: nsg.id },
    };
    const subnet = new network.Subnet(name, subnetArgs, child);
    // The cluster identity joins the API server into its subnet (AKS docs: lacking it fails provisioning).
    const assignmentArgs: authorization.RoleAssignmentArgs = {
      principalId: args.identityPrincipalId,
      principalType: 'ServicePrincipal',
      roleDefinitionId: roleDefinitionId(args.subscriptionId, 'networkContributor'),
      scope: subnet.id,
      description: `AKS ${args.clusterName}: API server VNet integration`,
    };
    const role = new authorization.RoleAssignment(`${name}-network-contributor`, assignmentArgs, child);
    this.subnetId = subnet.id;
    this.ready = [role];
    this.registerOutputs({ subnetId: this.subnetId });
  }
}
