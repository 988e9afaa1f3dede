import type * as pulumi from '@pulumi/pulumi';
import type { PostureControl } from '../posture/posture-control';

/** What every cloud's cluster hands to the rest of the program: the baseline needs the kubeconfig. */
export interface ProvisionedCluster {
  readonly component: pulumi.ComponentResource;
  /** A secret. */
  readonly kubeconfig: pulumi.Output<string>;
  /** Stack outputs: endpoint, key ids, names. */
  readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>>;
}

/** Values the offline plan's mocks use to make plausible ids, ARNs and endpoints. */
export interface MockContext {
  readonly region: string;
  /** Echoed where a cloud lookup would answer it (the VPC of a subnet, the GCP project). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** One resource's offline outputs: the provider-assigned id and the output properties besides the echoed inputs. */
export interface MockOutputs {
  readonly id: string;
  readonly state?: Readonly<Record<string, unknown>>;
}

/** How one cloud answers under mocks. Must not import the cloud's SDK. */
export interface CloudMocks {
  /** Outputs of a resource of this cloud; undefined for types it does not know (the id and echo then suffice). */
  resource(
    type: string,
    name: string,
    inputs: Readonly<Record<string, unknown>>,
    ctx: MockContext,
  ): MockOutputs | undefined;
  /** The answer to a data-source invoke; undefined when the token is not one the components use. */
  invoke(
    token: string,
    inputs: Readonly<Record<string, unknown>>,
    ctx: MockContext,
  ): Record<string, unknown> | undefined;
  /** What the plan assumes because it cannot ask the cloud (said in the plan output). */
  readonly assumptions: readonly string[];
}

/** Everything bulwark knows about one cloud, loaded so that only `provision` pulls in the SDK. */
export interface CloudSupport<C> {
  readonly label: string;
  readonly controls: readonly PostureControl[];
  readonly mocks: CloudMocks;
  provision(config: C): ProvisionedCluster;
}
