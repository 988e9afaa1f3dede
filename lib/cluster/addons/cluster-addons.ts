import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { ExemptionGrant } from '../../policy/exemption-grants';
import { addonExemptionGrants } from './addon-exemptions';
import { AddonsConfig } from './addons-config';
import { falcoObjects } from './falco';
import { clusterImagePolicy } from './image-policy';
import { policyControllerObjects } from './policy-controller';
import { kubeBenchObjects } from './kube-bench';

export interface ClusterAddonsArgs {
  /** The Kubernetes provider of the cluster (the baseline's). */
  readonly provider: k8s.Provider;
  readonly cloud: 'aws' | 'gcp' | 'azure';
  readonly addons: AddonsConfig;
}

/** The label on an add-on's namespace: the baseline's namespace control leaves it to the add-on's control. */
export const ADDON_LABEL = 'bulwark.dev/addon';

/**
 * The optional add-ons of a cluster stack (`bulwark:addons`), each off unless configured: Sigstore policy-controller
 * (built as plain objects from chart 0.10.6) and the ClusterImagePolicy of the allowed signers (image-policy), Falco
 * with bulwark's rules (falco, built as plain objects from chart 9.1.0's least-privileged rendering), a kube-bench
 * CronJob with the cloud's benchmark (kube-bench). Every object applied is one `bulwark audit` can judge. The add-ons' workloads only ask
 * for exemptions (annotations); `grants` are the grants the stack approved for them (addonExemptionGrants), which
 * the baseline's ExemptionGrantSet holds: install this after the baseline.
 */
export class ClusterAddons extends BulwarkComponent {
  /** The grants of the add-ons' exemptions: each in the add-on's own namespace, by kind and name, with the approval. */
  public readonly grants: readonly ExemptionGrant[];
  /** The add-ons installed, in order. */
  public readonly installed: readonly string[];

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ClusterAddons', name, opts);
    const o = { parent: this, provider: args.provider };
    const installed: string[] = [];
    const { addons } = args;
    if (addons.imagePolicy) {
      // policy-controller as plain objects (policy-controller.ts): its CRDs first, then the controller (Pulumi waits
      // for the Deployment to be ready), then the webhook configurations that point at it, then the policy.
      const objects = policyControllerObjects() as Record<string, unknown>[];
      const isCrd = (x: Record<string, unknown>) => x.kind === 'CustomResourceDefinition';
      const isWebhook = (x: Record<string, unknown>) => String(x.kind).endsWith('WebhookConfiguration');
      const crds = new k8s.yaml.ConfigGroup(
        `${name}-policy-controller-crds`,
        { objs: objects.filter(isCrd), resourcePrefix: name },
        o,
      );
      const controller = new k8s.yaml.ConfigGroup(
        `${name}-policy-controller`,
        { objs: objects.filter((x) => !isCrd(x) && !isWebhook(x)), resourcePrefix: name },
        { ...o, dependsOn: [crds] },
      );
      const webhooks = new k8s.yaml.ConfigGroup(
        `${name}-policy-controller-webhooks`,
        { objs: objects.filter(isWebhook), resourcePrefix: name },
        { ...o, dependsOn: [controller] },
      );
      const policy = clusterImagePolicy(addons.imagePolicy);
      new k8s.apiextensions.CustomResource(
        `${name}-cluster-image-policy`,
        { apiVersion: policy.apiVersion, kind: policy.kind, metadata: policy.metadata, spec: policy.spec },
        { ...o, dependsOn: [webhooks] },
      );
      installed.push('image-policy');
    }
    if (addons.falco) {
      const objects = falcoObjects({ image: addons.falco.image });
      new k8s.yaml.ConfigGroup(
        `${name}-falco`,
        { objs: objects as Record<string, unknown>[], resourcePrefix: name },
        o,
      );
      installed.push('falco');
    }
    if (addons.kubeBench) {
      const objects = kubeBenchObjects({ cloud: args.cloud, image: addons.kubeBench.image });
      new k8s.yaml.ConfigGroup(
        `${name}-kube-bench`,
        { objs: objects as Record<string, unknown>[], resourcePrefix: name },
        o,
      );
      installed.push('kube-bench');
    }
    const grants = addonExemptionGrants(addons);
    this.grants = grants;
    this.installed = installed;
    this.registerOutputs({ installed, grants: grants.length });
  }
}
