import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { PodSpec, PodTemplateSpec, VolumeMount } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { exemptionAnnotations, validateExemptions } from '../construct/exemptions';
import { resolveName, resolveNamespace, selectorLabels, standardLabels } from '../construct/object-names';
import { ensureSynthValidation } from '../construct/synth-validation';
import { requirePort } from '../construct/validators';
import { LeastPrivilegeServiceAccount } from '../identity/least-privilege-service-account';
import { INetworkWorkload, isNetworkWorkload, NetworkPeer } from '../network/network-peer';
import { WorkloadNetworkPolicies } from '../network/workload-network-policies';
import { buildHardenedPodTemplate, HardenedPodProps } from './hardened-pod';

/** What every hardened workload kind accepts besides the pod: identity, placement in the cluster, labels. */
export interface HardenedWorkloadProps extends HardenedPodProps {
  /** Name of the workload and of the objects it owns. @default the construct id */
  readonly name?: string;
  /** @default the chart's namespace (never `default`) */
  readonly namespace?: string;
  /**
   * The workload's identity. Its token is projected only when the account has API rules.
   * @default a dedicated LeastPrivilegeServiceAccount with no rules (never the namespace's `default`)
   * @see CIS 5.1.5 "default service accounts are not actively used"
   */
  readonly serviceAccount?: LeastPrivilegeServiceAccount;
  /** Extra labels on every object (selectors use `app.kubernetes.io/name` only). @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A peer given to allowFrom/allowTo: another bulwark workload, or pods selected by labels in a namespace. */
export type WorkloadPeer = INetworkWorkload | NetworkPeer;

/**
 * The shared part of every hardened workload kind: name, namespace, exemptions, service account, the hardened pod
 * template (one place: buildHardenedPodTemplate) and the workload's own NetworkPolicies with allowFrom/allowTo.
 */
export abstract class HardenedWorkload extends Construct implements INetworkWorkload {
  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceAccount: LeastPrivilegeServiceAccount;
  public readonly networkPeer: NetworkPeer;
  public readonly defaultPort?: number;
  /** Labels on every object of the workload. */
  protected readonly labels: Record<string, string>;
  /** The pod selector. */
  protected readonly selector: Record<string, string>;
  /** Exemption annotations, for the workload object and its pod template. */
  protected readonly exemptionAnnotations: Record<string, string>;
  protected readonly exemptions: ReadonlyMap<string, string>;
  private readonly network: WorkloadNetworkPolicies;

  protected constructor(scope: Construct, id: string, props: HardenedWorkloadProps) {
    super(scope, id);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    this.exemptions = validateExemptions(this, props.exemptions);
    this.exemptionAnnotations = exemptionAnnotations(this.exemptions);
    this.selector = selectorLabels(this.name);
    this.labels = { ...(props.labels ?? {}), ...standardLabels(this.name, 'workload') };
    if (props.serviceAccount && props.serviceAccount.namespace !== this.namespace) {
      throw propError({
        scope: this,
        prop: 'serviceAccount',
        received: `${props.serviceAccount.namespace}/${props.serviceAccount.name}`,
        problem: `the service account is in namespace '${props.serviceAccount.namespace}'`,
        allowed: `a LeastPrivilegeServiceAccount in namespace '${this.namespace}'`,
        fix: 'create the service account in the workload’s namespace',
      });
    }
    this.serviceAccount =
      props.serviceAccount ??
      new LeastPrivilegeServiceAccount(this, 'ServiceAccount', { name: this.name, namespace: this.namespace });
    this.defaultPort = props.port;
    this.networkPeer = { namespace: this.namespace, podLabels: this.selector };
    this.network = new WorkloadNetworkPolicies(this, 'NetworkPolicies', {
      name: this.name,
      namespace: this.namespace,
      podLabels: this.selector,
      labels: this.labels,
    });
    ensureSynthValidation(this);
  }

  /** The hardened pod template of this workload. */
  protected podTemplate(
    props: HardenedPodProps,
    options: { requiresProbes: boolean; extraSpec?: Partial<PodSpec>; extraVolumeMounts?: VolumeMount[] },
  ): PodTemplateSpec {
    return buildHardenedPodTemplate(this, props, {
      namespace: this.namespace,
      containerName: this.name,
      podLabels: { ...this.labels, ...this.selector },
      podAnnotations: this.exemptionAnnotations,
      serviceAccountName: this.serviceAccount.name,
      mountServiceAccountToken: this.serviceAccount.hasApiRules,
      requiresProbes: options.requiresProbes,
      exemptions: this.exemptions,
      extraSpec: options.extraSpec,
      extraVolumeMounts: options.extraVolumeMounts,
    });
  }

  /** Metadata for an object of this workload. */
  protected metadata(extra: Record<string, unknown> = {}, name = this.name): Record<string, unknown> {
    return { name, namespace: this.namespace, labels: this.labels, ...extra };
  }

  /** Metadata for the workload object itself, with its exemption annotations. */
  protected workloadMetadata(): Record<string, unknown> {
    return this.metadata(
      Object.keys(this.exemptionAnnotations).length ? { annotations: this.exemptionAnnotations } : {},
    );
  }

  /** Topology spread: across nodes (hard) and zones (best effort, so single-zone clusters still schedule). */
  protected spreadConstraints(): PodSpec['topologySpreadConstraints'] {
    const labelSelector = { matchLabels: { ...this.selector } };
    return [
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector },
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
    ];
  }

  /** A PodDisruptionBudget letting voluntary disruptions (drains, upgrades) take at most one pod at a time. */
  protected disruptionBudget(): ApiObject {
    return new ApiObject(this, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: this.metadata(),
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...this.selector } } },
    });
  }

  /**
   * Lets `peer` connect to this workload on `port`: ingress here, and egress on the peer when it is a bulwark workload.
   * @param port @default this workload's `port`
   */
  public allowFrom(peer: WorkloadPeer, port?: number): void {
    const p = this.connectionPort('allowFrom', port ?? this.defaultPort, this);
    this._allowIngress(peerOf(peer), p);
    if (isNetworkWorkload(peer)) peer._allowEgress(this.networkPeer, p);
  }

  /**
   * Lets this workload connect to `peer` on `port`: egress here, and ingress on the peer when it is a bulwark workload.
   * @param port @default the peer's `port`
   */
  public allowTo(peer: WorkloadPeer, port?: number): void {
    const p = this.connectionPort('allowTo', port ?? (isNetworkWorkload(peer) ? peer.defaultPort : undefined), peer);
    this._allowEgress(peerOf(peer), p);
    if (isNetworkWorkload(peer)) peer._allowIngress(this.networkPeer, p);
  }

  /** @internal */
  public _allowIngress(peer: NetworkPeer, port: number): void {
    this.network.allowIngress(peer, port);
  }

  /** Opens ingress from an address range outside the cluster (behind a load balancer). */
  protected allowIngressFromCidr(cidr: string, port: number): void {
    this.network.allowIngressFromCidr(cidr, port);
  }

  /** @internal */
  public _allowEgress(peer: NetworkPeer, port: number): void {
    this.network.allowEgress(peer, port);
  }

  private connectionPort(method: string, port: number | undefined, target: unknown): number {
    if (port === undefined) {
      const who = target instanceof Construct ? `'${target.node.path}'` : 'the peer';
      throw propError({
        scope: this,
        prop: `${method}(peer, port)`,
        received: port,
        problem: `${who} has no port to default to`,
        allowed: 'a port from 1 to 65535',
        fix: `pass the port: ${method}(peer, 8080)`,
      });
    }
    return requirePort(this, `${method}(peer, port)`, port);
  }
}

function peerOf(peer: WorkloadPeer): NetworkPeer {
  return isNetworkWorkload(peer) ? peer.networkPeer : peer;
}
