import type * as pulumi from '@pulumi/pulumi';
import { BaselineContent, defaultBaseline } from '../baseline/baseline-content';
import { ClusterBaseline } from '../baseline/cluster-baseline';
import { ClusterConfig } from '../config/cluster-config';
import { cloudSupport } from './cloud-support';
import { CloudSupport } from './provisioned-cluster';

export interface ClusterProgramOptions {
  /** Replaces the default baseline (admission policies and one DefaultDenyNamespace per configured namespace). */
  readonly baseline?: BaselineContent;
}

/**
 * The cluster stack program: the hardened cluster of the configured cloud, then the bulwark baseline installed into it
 * through a Kubernetes provider built from its kubeconfig. Run by `pulumi up` (stacks/cluster) and by `bulwark plan`
 * under mocks. Creates every resource when called, none when imported.
 */
export function clusterProgram(
  config: ClusterConfig,
  options: ClusterProgramOptions = {},
): Record<string, pulumi.Input<unknown>> {
  const support = cloudSupport(config.cloud) as CloudSupport<ClusterConfig>;
  const cluster = support.provision(config);
  const baseline = new ClusterBaseline(
    `${config.clusterName}-baseline`,
    {
      kubeconfig: cluster.kubeconfig,
      content:
        options.baseline ??
        (() => defaultBaseline({ namespaces: config.namespaces, kubernetesVersion: config.kubernetesVersion })),
    },
    // Waits for the whole cluster component (node groups and CNI included): policies apply to a working cluster.
    { dependsOn: [cluster.component] },
  );
  return { ...cluster.outputs, baselineObjects: baseline.objectCount };
}
