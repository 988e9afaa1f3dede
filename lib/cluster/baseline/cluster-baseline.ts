import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { BaselineContent, SynthesizedObject, synthesizeObjects } from './baseline-content';

export interface ClusterBaselineArgs {
  /** Kubeconfig of the new cluster (a secret output of the cluster component). */
  readonly kubeconfig: pulumi.Input<string>;
  /** The cdk8s content to install, e.g. `() => defaultBaseline({ namespaces })`. */
  readonly content: BaselineContent;
}

/**
 * Installs cdk8s-synthesized objects into a cluster through a Kubernetes provider built from that cluster's kubeconfig,
 * each object a Pulumi resource (`kubernetes.yaml.ConfigGroup` v1 with `objs`, which works under mocks and needs no
 * remote component). Cluster-scoped objects (namespaces, admission policies) go first, namespaced objects after them.
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
    const clusterScoped = objects.filter((o) => !isNamespaced(o));
    const namespaced = objects.filter(isNamespaced);
    const groupOpts = { parent: this, provider: this.provider };
    const first =
      clusterScoped.length > 0
        ? new k8s.yaml.ConfigGroup(`${name}-cluster-scoped`, { objs: clusterScoped, resourcePrefix: name }, groupOpts)
        : undefined;
    if (namespaced.length > 0) {
      new k8s.yaml.ConfigGroup(
        `${name}-namespaced`,
        { objs: namespaced, resourcePrefix: name },
        { ...groupOpts, dependsOn: first ? [first] : [] },
      );
    }
    this.objectCount = objects.length;
    this.registerOutputs({ objectCount: this.objectCount });
  }
}
