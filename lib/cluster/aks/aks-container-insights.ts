import * as monitor from '@pulumi/azure-native/monitor';
import type * as containerservice from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import { CONTAINER_INSIGHTS_STREAM } from '../addons/log-shipping';
import { BulwarkComponent } from '../bulwark-component';

/**
 * The Container Insights add-on profile `omsagent` of log shipping (bulwark:addons.log-shipping): the Azure Monitor
 * agent AKS runs and patches, sending to the cluster's Log Analytics workspace (the audit logs' one, kept 365 days),
 * authenticating with its managed identity (`useAADAuth`), never with the workspace's shared key. Why the managed
 * agent and not a DaemonSet of ours: AKS installs and patches it, and its host access is AKS's, not a grant of ours.
 */
export function containerInsightsProfile(
  workspaceId: pulumi.Input<string>,
): containerservice.ManagedClusterArgs['addonProfiles'] {
  return {
    omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: workspaceId, useAADAuth: 'true' } },
  };
}

export interface AksContainerInsightsArgs {
  readonly clusterName: string;
  readonly region: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly clusterId: pulumi.Input<string>;
  readonly workspaceId: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * With managed-identity authentication the agent collects what a data collection rule associated with the cluster
 * says (the Azure CLI creates both when it enables monitoring; an ARM deployment must): container logs (ContainerLogV2)
 * and node data of every namespace to the cluster's workspace.
 */
export class AksContainerInsights extends BulwarkComponent {
  constructor(name: string, args: AksContainerInsightsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksContainerInsights', name, opts);
    const child = { parent: this };
    const ruleArgs: monitor.DataCollectionRuleArgs = {
      dataCollectionRuleName: `MSCI-${args.region}-${args.clusterName}`,
      resourceGroupName: args.resourceGroupName,
      location: args.region,
      kind: 'Linux',
      dataSources: {
        extensions: [
          {
            name: 'ContainerInsightsExtension',
            extensionName: 'ContainerInsights',
            streams: [CONTAINER_INSIGHTS_STREAM],
            extensionSettings: {
              dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true },
            },
          },
        ],
      },
      destinations: { logAnalytics: [{ name: 'cluster-workspace', workspaceResourceId: args.workspaceId }] },
      dataFlows: [{ streams: [CONTAINER_INSIGHTS_STREAM], destinations: ['cluster-workspace'] }],
      tags: { ...args.tags },
    };
    const rule = new monitor.DataCollectionRule(`${name}-rule`, ruleArgs, child);
    const associationArgs: monitor.DataCollectionRuleAssociationArgs = {
      associationName: 'ContainerInsightsExtension',
      resourceUri: args.clusterId,
      dataCollectionRuleId: rule.id,
    };
    new monitor.DataCollectionRuleAssociation(`${name}-association`, associationArgs, child);
    this.registerOutputs({});
  }
}
