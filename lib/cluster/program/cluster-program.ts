import type * as pulumi from '@pulumi/pulumi';
import { BaselineContent, defaultBaseline, synthesizeObjects } from '../baseline/baseline-content';
import { stringifyManifest } from '../../manifest/fast-yaml-writer';
import { ClusterBaseline } from '../baseline/cluster-baseline';
import { ClusterAddons } from '../addons/cluster-addons';
import { addonExemptionGrants } from '../addons/addon-exemptions';
import { ClusterConfig } from './cluster-config';
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
  const outputs = {
    ...cluster.outputs,
    baselineApply: config.baselineApply,
    // What a baseline applied elsewhere (a baseline stack, the GitOps repository) installs as StorageClass `encrypted`.
    storageClass: { provisioner: cluster.storageClass.provisioner, parameters: cluster.storageClass.parameters },
    // What a baseline stack (lib/cluster/program/baseline-stack.ts) reads through its StackReference.
    baselineSpec: {
      namespaces: config.namespaces,
      kubernetesVersion: config.kubernetesVersion,
      // The grants travel with the baseline to whichever path applies it (docs/exemptions.md).
      exemptionGrants: config.exemptionGrants,
      storageClass: { provisioner: cluster.storageClass.provisioner, parameters: cluster.storageClass.parameters },
    },
  };
  // A private cluster's baseline is applied from where the API server is reachable: by this program (from inside the
  // authorized networks, or through GKE's DNS endpoint), by Flux inside the cluster (gitops), or by a baseline stack
  // run from a runner in the network (separate-stack). Only the first installs it here.
  if (config.baselineApply === 'gitops') {
    const content =
      options.baseline ??
      (() =>
        defaultBaseline({
          namespaces: config.namespaces,
          kubernetesVersion: config.kubernetesVersion,
          exemptionGrants: config.exemptionGrants ?? [],
        }));
    // What CI commits to the GitOps repository for Flux to apply (docs/cluster-apply.md), synthesized here from the
    // same config: admission policies, namespaces and the exemption grants with their CRD and roles. The StorageClass
    // comes from the storageClass output.
    const baselineManifests = synthesizeObjects(content)
      .map((o) => stringifyManifest(o) ?? JSON.stringify(o))
      .join('---\n');
    return { ...outputs, baselineObjects: 0, baselineManifests };
  }
  if (config.baselineApply !== 'in-program') return { ...outputs, baselineObjects: 0 };
  const baseline = new ClusterBaseline(
    `${config.clusterName}-baseline`,
    {
      kubeconfig: cluster.kubeconfig,
      content:
        options.baseline ??
        (() =>
          defaultBaseline({
            namespaces: config.namespaces,
            kubernetesVersion: config.kubernetesVersion,
            // The stack's own grants, then the grants of its add-ons' exemptions (approved in bulwark:addons).
            exemptionGrants: [...(config.exemptionGrants ?? []), ...addonExemptionGrants(config.addons ?? {})],
            imagePolicy: config.addons?.imagePolicy !== undefined,
          })),
      storageClass: cluster.storageClass,
    },
    // Waits for the whole cluster component (node groups and CNI included): policies apply to a working cluster.
    { dependsOn: [cluster.component] },
  );
  if (config.addons === undefined) return { ...outputs, baselineObjects: baseline.objectCount };
  const addons = new ClusterAddons(
    `${config.clusterName}-addons`,
    { provider: baseline.provider, cloud: config.cloud, addons: config.addons },
    { dependsOn: [baseline] },
  );
  return {
    ...outputs,
    baselineObjects: baseline.objectCount,
    addons: addons.installed,
    // Installed in the baseline's ExemptionGrantSet with the stack's own grants.
    addonExemptionGrants: addons.grants,
  };
}
