import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { StorageClassSpec } from '../contracts/cloud-contracts';
import { BaselineContent, SynthesizedObject, synthesizeObjects } from './baseline-content';

export interface ClusterBaselineArgs {
  /** Kubeconfig of the new cluster (a secret output of the cluster component). */
  readonly kubeconfig: pulumi.Input<string>;
  /** The cdk8s content to install, e.g. `() => defaultBaseline({ namespaces })`. */
  readonly content: BaselineContent;
  /** The cloud's encrypted volumes, installed as the default StorageClass `encrypted`. */
  readonly storageClass?: StorageClassSpec;
}

/** The default StorageClass every bulwark cluster offers (the example app's volumes ask for it by name). */
export const DEFAULT_STORAGE_CLASS = 'encrypted';

/**
 * Installs cdk8s-synthesized objects into a cluster through a Kubernetes provider built from that cluster's kubeconfig,
 * each object a Pulumi resource (`kubernetes.yaml.ConfigGroup` v1 with `objs`, which works under mocks and needs no
 * remote component). CustomResourceDefinitions go first, then the other cluster-scoped objects (namespaces, admission
 * policies, the exemption grant set), then namespaced objects.
 */
export class ClusterBaseline extends BulwarkComponent {
  public readonly provider: k8s.Provider;
  /** Number of objects installed. */
  public readonly objectCount: number;

  constructor(name: string, args: ClusterBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ClusterBaseline', name, opts);
    const objects = synthesizeObjects(args.content);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      // Server-side apply: field ownership is explicit and conflicts with other managers are reported, not overwritten.
      { kubeconfig: args.kubeconfig, enableServerSideApply: true },
      { parent: this },
    );
    const isNamespaced = (o: SynthesizedObject) => typeof o.metadata?.namespace === 'string';
    // CustomResourceDefinitions (the exemption grants') first: their custom objects cannot be created before them.
    const isCrd = (o: SynthesizedObject) => o.kind === 'CustomResourceDefinition';
    const crds = objects.filter(isCrd);
    const clusterScoped = objects.filter((o) => !isNamespaced(o) && !isCrd(o));
    const namespaced = objects.filter(isNamespaced);
    const groupOpts = { parent: this, provider: this.provider };
    const definitions =
      crds.length > 0
        ? new k8s.yaml.ConfigGroup(`${name}-definitions`, { objs: crds, resourcePrefix: name }, groupOpts)
        : undefined;
    const first =
      clusterScoped.length > 0
        ? new k8s.yaml.ConfigGroup(
            `${name}-cluster-scoped`,
            { objs: clusterScoped, resourcePrefix: name },
            { ...groupOpts, dependsOn: definitions ? [definitions] : [] },
          )
        : undefined;
    if (namespaced.length > 0) {
      new k8s.yaml.ConfigGroup(
        `${name}-namespaced`,
        { objs: namespaced, resourcePrefix: name },
        { ...groupOpts, dependsOn: first ? [first] : [] },
      );
    }
    if (args.storageClass !== undefined) {
      const storageArgs: k8s.storage.v1.StorageClassArgs = {
        metadata: {
          name: DEFAULT_STORAGE_CLASS,
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: args.storageClass.provisioner,
        parameters: args.storageClass.parameters,
        // A released claim keeps its volume (and data) until someone deletes it on purpose.
        reclaimPolicy: 'Retain',
        // The volume is created in the zone of the pod that first uses it.
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      };
      new k8s.storage.v1.StorageClass(`${name}-storage-class`, storageArgs, groupOpts);
    }
    this.objectCount = objects.length + (args.storageClass !== undefined ? 1 : 0);
    this.registerOutputs({ objectCount: this.objectCount });
  }
}
