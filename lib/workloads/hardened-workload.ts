import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { PodSpec, PodTemplateSpec, ServicePort, VolumeMount } from 'kubernetes-types/core/v1';
import { chartDefaultsOf } from '../construct/chart-defaults';
import { propError } from '../construct/errors';
import { HardeningGuard } from '../construct/hardening-guard';
import { exemptionAnnotations, validateExemptions } from '../construct/construct-exemptions';
import { declareExemptionAnnotations } from '../construct/exemption-guard';
import {
  NO_EGRESS_LABEL,
  resolveName,
  resolveNamespace,
  selectorLabels,
  standardLabels,
} from '../construct/object-names';
import { ensureSynthValidation } from '../construct/synth-validation';
import { requireLabels, requirePort } from '../construct/validators';
import { LeastPrivilegeServiceAccount } from '../identity/least-privilege-service-account';
import {
  broadRangeReason,
  BROAD_PREFIX,
  formatIpRange,
  ipRangeHasHostBits,
  isStrictSubrange,
  OPEN_TO_ALL_SHARE,
  parseIpRange,
  publicShareBound,
} from '../k8s/cidr';
import { CidrPeer, INetworkWorkload, isCidrPeer, isNetworkWorkload, NetworkPeer } from '../network/network-peer';
import { exemptionAnnotationKey } from '../policy/exemption-annotations';
import { Protocol, WorkloadNetworkPolicies } from '../network/workload-network-policies';
import { describePorts, ResolvedPort } from './container-ports';
import { buildHardenedPod, HardenedPodProps } from './hardened-pod';
import { rejectUnknownProps } from '../construct/known-props';

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

/**
 * A peer given to allowFrom/allowTo: another bulwark workload, pods selected by labels in a namespace
 * (`NetworkPeer.pods`), or an address range outside the cluster (`NetworkPeer.cidr`).
 */
export type WorkloadPeer = INetworkWorkload | NetworkPeer | CidrPeer;

/** The rule whose exemption a broad or open-to-all address range needs. */
const BROAD_RULE = 'network-policy-broad-ip-block';

/**
 * The shared part of every hardened workload kind: name, namespace, exemptions, service account, the hardened pod
 * template (one place: buildHardenedPodTemplate) and the workload's own NetworkPolicies with allowFrom/allowTo.
 */
export abstract class HardenedWorkload extends Construct implements INetworkWorkload {
  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceAccount: LeastPrivilegeServiceAccount;
  public readonly networkPeer: NetworkPeer;
  /** Labels on every object of the workload. */
  protected readonly labels: Record<string, string>;
  /** The pod selector. */
  protected readonly selector: Record<string, string>;
  /** Exemption annotations, for the workload object and its pod template. */
  protected readonly exemptionAnnotations: Record<string, string>;
  protected readonly exemptions: ReadonlyMap<string, string>;
  private readonly network: WorkloadNetworkPolicies;
  /** Guards the workload's NetworkPolicies, and the workload object itself (guardPodLabels). */
  private readonly guard: HardeningGuard;
  private ports: readonly ResolvedPort[] = [];
  /** The address ranges opened so far, per direction: their union must stay narrow. */
  private readonly cidrs = {
    ingress: { list: [] as string[], bound: 0 },
    egress: { list: [] as string[], bound: 0 },
  };

  protected constructor(scope: Construct, id: string, props: HardenedWorkloadProps) {
    super(scope, id);
    rejectUnknownProps(this, props);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    this.exemptions = validateExemptions(this, props.exemptions);
    this.exemptionAnnotations = exemptionAnnotations(this.exemptions);
    // The workload object and its pod template must carry exactly these: synth fails when a patch changes them.
    declareExemptionAnnotations(this, this.exemptionAnnotations);
    this.selector = selectorLabels(this.name);
    this.labels = Object.assign({}, requireLabels(this, 'labels', props.labels), standardLabels(this.name, 'workload'));
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
    this.networkPeer = { namespace: this.namespace, podLabels: this.selector };
    this.guard = new HardeningGuard(this);
    this.network = new WorkloadNetworkPolicies(this, 'NetworkPolicies', {
      name: this.name,
      namespace: this.namespace,
      podLabels: this.selector,
      labels: this.labels,
      annotations: this.exemptions.has(BROAD_RULE)
        ? { [exemptionAnnotationKey(BROAD_RULE)]: this.exemptions.get(BROAD_RULE) as string }
        : {},
      guard: this.guard,
    });
    ensureSynthValidation(this);
  }

  /** The ports the workload's pods listen on (main container and sidecars), in declaration order. */
  public get declaredPorts(): readonly ResolvedPort[] {
    return this.ports;
  }

  /** The port `allowFrom` and `allowTo` use when none is given: the first declared port. */
  public get defaultPort(): number | undefined {
    return this.ports[0]?.port;
  }

  /**
   * Guards the workload object (`resource`, its pod template at `template`): it keeps its identity, and its pods the
   * selector labels its NetworkPolicies (and Service and PodDisruptionBudget) select them by. A patch changing them
   * (with the selector, which must match) leaves the pods outside every policy of the workload.
   */
  protected guardPodLabels(resource: ApiObject, template: readonly string[]): void {
    this.guard.add(
      resource,
      "without the selector labels on its pods, the workload's NetworkPolicies select none of them: its pods accept traffic from anywhere",
      'add labels of your own with the labels prop',
      () => Object.entries(this.selector).map(([k, v]) => ({ path: [...template, 'metadata', 'labels', k], value: v })),
    );
    this.guard.add(
      resource,
      'without the no-egress label on its pods, the Falco add-on no longer reports their unexpected outbound connections',
      'open what the workload needs with allowTo; the label goes away by itself',
      () =>
        this.network.hasEgress ? [] : [{ path: [...template, 'metadata', 'labels', NO_EGRESS_LABEL], value: 'true' }],
    );
  }

  /** The hardened pod template of this workload. */
  protected podTemplate(
    props: HardenedPodProps,
    options: { requiresProbes: boolean; extraSpec?: Partial<PodSpec>; extraVolumeMounts?: VolumeMount[] },
  ): PodTemplateSpec {
    const pod = buildHardenedPod(this, withChartDefaults(this, props), {
      namespace: this.namespace,
      containerName: this.name,
      podLabels: Object.assign({}, this.labels, this.selector, {
        // Decided at synth time, when every allowTo/allowFrom has been called; no value writes no label.
        [NO_EGRESS_LABEL]: Lazy.any({ produce: () => (this.network.hasEgress ? undefined : 'true') }) as string,
      }),
      podAnnotations: this.exemptionAnnotations,
      serviceAccountName: this.serviceAccount.name,
      mountServiceAccountToken: this.serviceAccount.hasApiRules,
      requiresProbes: options.requiresProbes,
      exemptions: this.exemptions,
      extraSpec: options.extraSpec,
      extraVolumeMounts: options.extraVolumeMounts,
    });
    this.ports = pod.ports;
    return pod.template;
  }

  /** The Service ports of the declared ports, by name; `mainServicePort` replaces the port of 'main'. */
  protected servicePorts(mainServicePort?: number): ServicePort[] {
    return this.ports.map((r) => ({
      name: r.name,
      port: r.name === 'main' && mainServicePort !== undefined ? mainServicePort : r.port,
      targetPort: r.name,
      protocol: r.protocol,
      ...(r.appProtocol !== undefined ? { appProtocol: r.appProtocol } : {}),
    }));
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
   * @param port a port number or name this workload declares. @default this workload's first port
   */
  public allowFrom(peer: WorkloadPeer, port?: number | string): void {
    const p = this.targetPort('allowFrom', this, peer, port);
    if (isCidrPeer(peer)) {
      this.checkCidr('allowFrom', peer, 'ingress');
      this.network.allowIngress(peer, p.port, p.protocol);
      return;
    }
    this._allowIngress(peerOf(peer), p.port, p.protocol);
    if (isNetworkWorkload(peer)) peer._allowEgress(this.networkPeer, p.port, p.protocol);
  }

  /**
   * Lets this workload connect to `peer` on `port`: egress here, and ingress on the peer when it is a bulwark workload.
   * @param port a port number or name the peer declares. @default the peer's first port
   */
  public allowTo(peer: WorkloadPeer, port?: number | string): void {
    if (isNetworkWorkload(peer)) {
      const p = this.targetPort('allowTo', peer, this, port);
      this._allowEgress(peer.networkPeer, p.port, p.protocol);
      peer._allowIngress(this.networkPeer, p.port, p.protocol);
      return;
    }
    if (port === undefined || typeof port === 'string') {
      throw propError({
        scope: this,
        prop: 'allowTo(peer, port)',
        received: port,
        problem:
          port === undefined
            ? 'the peer is not a bulwark workload, so it has no port to default to'
            : 'a port name can only be resolved on a bulwark workload',
        allowed: 'a port number from 1 to 65535',
        fix: 'pass the port number: allowTo(peer, 8080)',
      });
    }
    const number = requirePort(this, 'allowTo(peer, port)', port);
    if (isCidrPeer(peer)) {
      this.checkCidr('allowTo', peer, 'egress');
      this.network.allowEgress(peer, number);
      return;
    }
    this._allowEgress(peer, number);
  }

  /**
   * Refuses an address range that is not a CIDR, has host bits set, leaves out ranges not inside it, or (with the
   * ranges this workload already opened in the same direction) is too broad, unless the workload has the exemption
   * from network-policy-broad-ip-block.
   */
  private checkCidr(method: 'allowFrom' | 'allowTo', peer: CidrPeer, direction: 'ingress' | 'egress'): void {
    const prop = `${method}(NetworkPeer.cidr(...))`;
    const range = parseIpRange(peer.cidr);
    const example =
      method === 'allowTo'
        ? "allowTo(NetworkPeer.cidr('10.20.0.0/16'), 443)"
        : "allowFrom(NetworkPeer.cidr('203.0.113.0/24'))";
    if (!range || peer.cidr !== peer.cidr.trim()) {
      throw propError({
        scope: this,
        prop,
        received: peer.cidr,
        problem: 'not a CIDR',
        allowed: 'an IPv4 or IPv6 CIDR: address/prefix, e.g. 10.20.0.0/16 or 2001:db8:1::/48',
        fix: `write the range as address/prefix: ${example}`,
      });
    }
    if (ipRangeHasHostBits(peer.cidr)) {
      throw propError({
        scope: this,
        prop,
        received: peer.cidr,
        problem: 'bits are set below the prefix, so the range is not what it reads as',
        allowed: 'the network address of the range',
        fix: `write '${formatIpRange(range)}'`,
      });
    }
    (peer.except ?? []).forEach((e, i) => {
      const inner = parseIpRange(e);
      if (!inner || ipRangeHasHostBits(e) || !isStrictSubrange(inner, range)) {
        throw propError({
          scope: this,
          prop: `${prop}.except[${i}]`,
          received: e,
          problem: inner ? `not strictly inside ${peer.cidr}` : 'not a CIDR',
          allowed: `a network address/prefix strictly inside ${peer.cidr} (Kubernetes refuses others)`,
          fix: `leave out a narrower range of ${peer.cidr}, or drop the entry`,
        });
      }
    });
    // The union is computed only once the ranges' sizes could add up to open-to-all: opening n ranges stays linear.
    const opened = this.cidrs[direction];
    const bound = opened.bound + publicShareBound(range);
    const broad =
      broadRangeReason([peer.cidr]) ??
      (bound > OPEN_TO_ALL_SHARE ? broadRangeReason([...opened.list, peer.cidr]) : undefined);
    if (broad && !this.exemptions.has(BROAD_RULE)) {
      throw propError({
        scope: this,
        prop,
        received: peer.cidr,
        problem: broad,
        allowed: `ranges no broader than /${BROAD_PREFIX[4]} (IPv4) or /${BROAD_PREFIX[6]} (IPv6) that together cover at most 6.25% of the public address space`,
        fix: `name the exact range the workload needs, e.g. ${example}, or add the exemption { rule: '${BROAD_RULE}', reason: '<why this workload needs the range>' }`,
      });
    }
    opened.list.push(peer.cidr);
    opened.bound = bound;
  }

  /** @internal */
  public _allowIngress(peer: NetworkPeer, port: number, protocol?: Protocol): void {
    this.network.allowIngress(peer, port, protocol);
  }

  /** Opens ingress from an address range outside the cluster (behind a load balancer). */
  protected allowIngressFromCidr(cidr: string, port: number): void {
    this.network.allowIngressFromCidr(cidr, port);
  }

  /** @internal */
  public _allowEgress(peer: NetworkPeer, port: number, protocol?: Protocol): void {
    this.network.allowEgress(peer, port, protocol);
  }

  /**
   * The port of `target` a connection from `source` uses: one `target` declares (by number or name), or its first.
   * A target listening on nothing is refused with the direction mistake spelled out.
   */
  private targetPort(
    method: 'allowFrom' | 'allowTo',
    target: INetworkWorkload,
    source: WorkloadPeer,
    port: number | string | undefined,
  ): { port: number; protocol: Protocol } {
    const prop = `${method}(peer, port)`;
    const declared = target.declaredPorts;
    const name = (w: unknown) => (w instanceof Construct ? `'${w.node.path}'` : 'the peer');
    // The other end of the call, and the call that opens the connection the other way round.
    const other = method === 'allowFrom' ? source : target;
    const reversed = (p?: number | string) =>
      `${this.node.id}.${method === 'allowFrom' ? 'allowTo' : 'allowFrom'}(${other instanceof Construct ? other.node.id : 'peer'}${p === undefined ? '' : `, ${JSON.stringify(p)}`})`;
    if (declared.length === 0) {
      const sourceListens = isNetworkWorkload(source) && source.declaredPorts.length > 0;
      throw propError({
        scope: this,
        prop,
        received: port,
        problem: `${name(target)} listens on no port (no \`port\` or \`ports\`), so nothing can connect to it`,
        allowed: 'a connection to a workload that declares the port it listens on',
        fix: sourceListens
          ? `the direction looks reversed: to let ${name(target)} connect to ${name(source)}, call ${reversed(port)}`
          : `declare the port ${name(target)} listens on with \`port\` or \`ports\``,
      });
    }
    if (port === undefined) return { port: declared[0].port, protocol: declared[0].protocol };
    const hit =
      typeof port === 'string' ? declared.find((r) => r.name === port) : declared.find((r) => r.port === port);
    if (!hit) {
      throw propError({
        scope: this,
        prop,
        received: port,
        problem: `${name(target)} declares no ${typeof port === 'string' ? 'port named' : 'port'} ${JSON.stringify(port)}`,
        allowed: `one of its ports: ${describePorts(declared)}`,
        fix: reversedPort(source, port)
          ? `the direction looks reversed: ${name(source)} listens on ${JSON.stringify(port)}; to let ${name(target)} connect to it, call ${reversed(port)}`
          : `use one of them, e.g. ${method}(peer, '${declared[0].name}'), or declare the port on ${name(target)}`,
      });
    }
    return { port: hit.port, protocol: hit.protocol };
  }
}

/** True when `source` (the other end) is a bulwark workload declaring `port`: the call was made the wrong way round. */
function reversedPort(source: WorkloadPeer, port: number | string): boolean {
  return (
    isNetworkWorkload(source) &&
    source.declaredPorts.some((r) => (typeof port === 'string' ? r.name === port : r.port === port))
  );
}

/** The pod props with the enclosing BulwarkCharts' defaults filled in where the construct sets nothing. */
function withChartDefaults(scope: Construct, props: HardenedPodProps): HardenedPodProps {
  const d = chartDefaultsOf(scope);
  // Nothing to apply (no BulwarkChart default for these): the props as they are, not a copy.
  if (
    d.allowedRegistries === undefined &&
    d.runAsUser === undefined &&
    d.runAsGroup === undefined &&
    d.fsGroup === undefined &&
    d.priorityClassName === undefined
  ) {
    return props;
  }
  return {
    ...props,
    allowedRegistries: props.allowedRegistries ?? d.allowedRegistries,
    runAsUser: props.runAsUser ?? d.runAsUser,
    runAsGroup: props.runAsGroup ?? d.runAsGroup,
    fsGroup: props.fsGroup ?? d.fsGroup,
    priorityClassName: props.priorityClassName ?? d.priorityClassName,
  };
}

function peerOf(peer: INetworkWorkload | NetworkPeer): NetworkPeer {
  return isNetworkWorkload(peer) ? peer.networkPeer : peer;
}
