import * as kubernetesconfiguration from '@pulumi/azure-native/kubernetesconfiguration';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { GitOpsSource } from '../contracts/cloud-contracts';

export interface AksFluxArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly source: GitOpsSource;
}

/** Flux's Kustomization of the bulwark baseline, in the flux-system namespace. */
export const AKS_FLUX_CONFIGURATION = 'bulwark-baseline';

/**
 * The baseline of a private AKS cluster, pulled rather than pushed (mspnp/aks-baseline's bootstrap): the AKS GitOps
 * extension runs Flux inside the cluster, which applies the synthesized baseline (`bulwark synth` output committed to
 * the repository) and keeps it applied. Nothing outside the VNet needs a path to the API server, and the run command
 * stays disabled.
 */
export class AksFlux extends BulwarkComponent {
  constructor(name: string, args: AksFluxArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksFlux', name, opts);
    const target = {
      clusterName: args.clusterName,
      clusterResourceName: 'managedClusters',
      clusterRp: 'Microsoft.ContainerService',
      resourceGroupName: args.resourceGroupName,
    };
    const extensionArgs: kubernetesconfiguration.ExtensionArgs = {
      ...target,
      extensionName: 'flux',
      extensionType: 'microsoft.flux',
      autoUpgradeMinorVersion: true,
      releaseTrain: 'Stable',
    };
    const extension = new kubernetesconfiguration.Extension(`${name}-extension`, extensionArgs, { parent: this });
    const fluxArgs: kubernetesconfiguration.FluxConfigurationArgs = {
      ...target,
      fluxConfigurationName: AKS_FLUX_CONFIGURATION,
      namespace: 'flux-system',
      scope: 'cluster',
      sourceKind: 'GitRepository',
      gitRepository: {
        url: args.source.url,
        repositoryRef: { branch: args.source.branch },
        syncIntervalInSeconds: 300,
        timeoutInSeconds: 180,
      },
      kustomizations: {
        baseline: {
          path: args.source.path,
          // Objects removed from the baseline are removed from the cluster; drift is reverted every 10 minutes.
          prune: true,
          syncIntervalInSeconds: 600,
          timeoutInSeconds: 300,
        },
      },
    };
    new kubernetesconfiguration.FluxConfiguration(`${name}-config`, fluxArgs, {
      parent: this,
      dependsOn: [extension],
    });
    this.registerOutputs({});
  }
}
