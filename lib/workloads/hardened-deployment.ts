import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../core/errors';
import { exemptionAnnotations, validateExemptions } from '../core/exemptions';
import { resolveName, resolveNamespace, selectorLabels, standardLabels } from '../core/object-names';
import { ensureSynthValidation } from '../core/synth-validation';
import { requireIntegerAtLeast, requirePort } from '../core/validators';
import { LeastPrivilegeServiceAccount } from '../identity/least-privilege-service-account';
import { INetworkWorkload, isNetworkWorkload, NetworkPeer } from '../network/network-peer';
import { WorkloadNetworkPolicies } from '../network/workload-network-policies';
import { buildHardenedPodTemplate, HardenedPodProps } from './hardened-pod';

export interface HardenedDeploymentProps extends HardenedPodProps {
  /** Name of the Deployment, its Service, PodDisruptionBudget and policies. @default the construct id */
  readonly name?: string;
  /** @default the chart's namespace (never `default`) */
  readonly namespace?: string;
  /**
   * Desired pods. Two or more keep the service up through node drains and rollouts.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The workload's identity. Its token is mounted only when the account has API rules.
   * @default a dedicated LeastPrivilegeServiceAccount with no rules (never the namespace's `default`)
   * @see CIS 5.1.5 "default service accounts are not actively used"
   */
  readonly serviceAccount?: LeastPrivilegeServiceAccount;
  /** Port of the ClusterIP Service. @default `port` */
  readonly servicePort?: number;
  /** Extra labels on every object (selectors use `app.kubernetes.io/name` only). @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A peer given to allowFrom/allowTo: another bulwark workload, or pods selected by labels in a namespace. */
export type WorkloadPeer = INetworkWorkload | NetworkPeer;

/**
 * A Deployment that can only be written hardened: the pod meets the Pod Security Standard *restricted* and the
 * NSA/CISA guide, with its own ServiceAccount, a ClusterIP Service (when it has a port), a PodDisruptionBudget, and
 * its own ingress NetworkPolicy. `allowFrom` / `allowTo` open exactly one connection, on both ends.
 */
export class HardenedDeployment extends Construct implements INetworkWorkload {
  public readonly name: string;
  public readonly namespace: string;
  /** The Deployment object. */
  public readonly resource: ApiObject;
  /** The ClusterIP Service, when the workload has a port. */
  public readonly service?: ApiObject;
  public readonly podDisruptionBudget: ApiObject;
  public readonly serviceAccount: LeastPrivilegeServiceAccount;
  public readonly networkPeer: NetworkPeer;
  public readonly defaultPort?: number;
  private readonly network: WorkloadNetworkPolicies;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    const replicas = requireIntegerAtLeast(
      this,
      'replicas',
      props.replicas ?? 2,
      1,
      'use 2 or more so the service survives a node drain (1 at the least)',
    );
    const exemptions = validateExemptions(this, props.exemptions);
    const annotations = exemptionAnnotations(exemptions);
    const selector = selectorLabels(this.name);
    const labels = { ...(props.labels ?? {}), ...standardLabels(this.name, 'workload') };
    const metadata = (extra: Record<string, unknown> = {}) => ({
      name: this.name,
      namespace: this.namespace,
      labels,
      ...extra,
    });

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

    const template = buildHardenedPodTemplate(this, props, {
      containerName: this.name,
      podLabels: { ...labels, ...selector },
      podAnnotations: annotations,
      serviceAccountName: this.serviceAccount.name,
      mountServiceAccountToken: this.serviceAccount.hasApiRules,
      requiresProbes: true,
      exemptions,
      extraSpec: {
        // Spread replicas over nodes so that one node failure cannot take the service down.
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: selector },
          },
        ],
      },
    });
    this.defaultPort = props.port;

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(Object.keys(annotations).length ? { annotations } : {}),
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        // Never below the desired count during a rollout: surge one pod, take none away until it is ready.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template,
      },
    });

    if (props.port !== undefined) {
      const servicePort = requirePort(this, 'servicePort', props.servicePort ?? props.port);
      this.service = new ApiObject(this, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: metadata(),
        // ClusterIP only: no NodePort, LoadBalancer or externalIPs (OWASP K07); expose through a TLS Ingress.
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [{ name: 'main', port: servicePort, targetPort: 'main', protocol: 'TCP' }],
        },
      });
    }

    // Voluntary disruptions (drains, upgrades) take at most one pod at a time.
    this.podDisruptionBudget = new ApiObject(this, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(),
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });

    this.networkPeer = { namespace: this.namespace, podLabels: selector };
    this.network = new WorkloadNetworkPolicies(this, 'NetworkPolicies', {
      name: this.name,
      namespace: this.namespace,
      podLabels: selector,
      labels,
    });
    ensureSynthValidation(this);
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
