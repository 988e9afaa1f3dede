// The contracts between the cloud-neutral cluster layers (config, posture, program, plan) and the cloud folders (eks,
// gke, aks). Types only, importing no other folder of lib/cluster: every folder of lib/cluster may depend on this module
// and it on none (it reads types of the lower layers only).
import type * as pulumi from '@pulumi/pulumi';
import type { ExemptionGrant } from '../../policy/exemption-grants';

/** One pool of worker nodes. Counts are totals for the node group (EKS) or the regional node pool (GKE). */
export interface NodeGroupConfig {
  readonly name: string;
  /** EC2 instance type (`m6i.large`), Compute Engine machine type (`e2-standard-4`) or Azure VM size. */
  readonly machineType: string;
  readonly minCount: number;
  readonly maxCount: number;
  /** Nodes to start with; between minCount and maxCount. The autoscaler owns the count afterwards. */
  readonly desiredCount: number;
  readonly diskSizeGb: number;
}

/** The environment a cluster serves: production clusters get deletion protection, the others can be thrown away. */
export type Environment = 'prod' | 'staging' | 'dev' | 'test';

/**
 * How the baseline (admission policies, namespaces, storage class) reaches a private cluster:
 * - `in-program`: the stack's own Kubernetes provider applies it; `pulumi up` must run inside the authorized networks;
 * - `gitops`: the cluster pulls it (the cloud's Flux extension) from a repository holding the synthesized baseline;
 * - `separate-stack`: the cluster stack skips it; a baseline stack run from a runner inside the network applies it.
 */
export type BaselineApplyPath = 'in-program' | 'gitops' | 'separate-stack';

/** The Git source a `gitops` baseline is pulled from (the synthesized baseline committed to a repository). */
export interface GitOpsSource {
  readonly url: string;
  readonly branch: string;
  /** Directory in the repository holding the synthesized baseline, e.g. `clusters/payroll-prod`. */
  readonly path: string;
}

export type Weekday = 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday';

/**
 * Weekly maintenance windows (UTC): the only times the cloud may upgrade the control plane and the nodes. GKE needs
 * 48 hours of windows in any 32 days; AKS schedules control-plane upgrades on the first day and node images on the last.
 */
export interface MaintenanceWindow {
  readonly days: readonly Weekday[];
  /** Start hour, 0-23, UTC. */
  readonly startHour: number;
  /** Length of each window in hours, 4 to 24. */
  readonly durationHours: number;
}

/** What every cloud asks a team to choose. Hardening is not here: it is fixed in the components. */
export interface CommonClusterConfig {
  readonly clusterName: string;
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.33`; one of the cloud's supported versions. */
  readonly kubernetesVersion: string;
  /** Networks allowed to reach the (private) Kubernetes API endpoint. */
  readonly authorizedNetworks: readonly string[];
  readonly nodeGroups: readonly NodeGroupConfig[];
  /**
   * Dedicated pools for sensitive workloads, each labelled and tainted `bulwark.dev/pool=<name>:NoSchedule` (the
   * selector and toleration of `isolation: { pool: <name> }` in the constructs), hardened like the node groups.
   */
  readonly isolatedPools: readonly NodeGroupConfig[];
  /** Namespaces the baseline creates, each a DefaultDenyNamespace. */
  readonly namespaces: readonly string[];
  readonly environment: Environment;
  readonly maintenanceWindow: MaintenanceWindow;
  readonly baselineApply: BaselineApplyPath;
  /** Set when `baselineApply` is `gitops`. */
  readonly gitops?: GitOpsSource;
  /**
   * Exemptions the platform team grants (docs/exemptions.md), installed as the ExemptionGrantSet the admission
   * policies read. @default none
   */
  readonly exemptionGrants?: readonly ExemptionGrant[];
}

/** How a cloud names and bounds the common values. */
export interface CloudConventions {
  /** Config field naming the machine type in a node group: `instanceType` (AWS) or `machineType` (GCP). */
  readonly machineTypeField: string;
  readonly machineTypePattern: RegExp;
  readonly machineTypeExample: string;
  readonly regionPattern: RegExp;
  readonly regionExample: string;
  /** Longest cluster name whose derived resource names (roles, service accounts) still fit the cloud's limits. */
  readonly maxClusterNameLength: number;
  /** Node group names the cloud accepts, when narrower than the default (`[a-z]` then `[-a-z0-9]`, at most 20). */
  readonly nodeGroupName?: { readonly pattern: RegExp; readonly allowed: string };
  /** Kubernetes minor versions the cloud supports in standard support, newest first; see supported-versions. */
  readonly supportedVersions: readonly string[];
  /** The apply paths the cloud offers for the baseline of a private cluster, the recommended one first. */
  readonly applyPaths: readonly BaselineApplyPath[];
}

/** The encrypted default StorageClass a cloud's cluster offers its workloads (installed by the baseline). */
export interface StorageClassSpec {
  /** CSI provisioner, e.g. `ebs.csi.aws.com`. */
  readonly provisioner: string;
  /** Provisioner parameters; the key reference is resolved once the cluster's key exists. */
  readonly parameters: pulumi.Input<Readonly<Record<string, pulumi.Input<string>>>>;
}

/** What every cloud's cluster hands to the rest of the program: the baseline needs the kubeconfig. */
export interface ProvisionedCluster {
  readonly component: pulumi.ComponentResource;
  /** A secret. */
  readonly kubeconfig: pulumi.Output<string>;
  /** Stack outputs: endpoint, key ids, names. */
  readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>>;
  /** The encrypted StorageClass the baseline installs as the default. */
  readonly storageClass: StorageClassSpec;
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

/** One Kubernetes minor version a cloud supports in standard (not extended, not billed-extra) support. */
export interface SupportedVersion {
  /** `1.35` */
  readonly version: string;
  /** Last day of standard support as the cloud publishes it (ISO date), when published. */
  readonly endOfStandardSupport?: string;
}
