import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../construct/errors';
import { isCidr, requireIntegerAtLeast, requirePort } from '../construct/validators';
import { INT32_MAX } from '../k8s/api-integers';
import { isOpenToAll, openToAllReason } from '../k8s/cidr';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';
import { requireServiceName } from '../construct/object-names';

export type { WorkloadPeer } from './hardened-workload';

/** Horizontal autoscaling on CPU (and optionally memory) utilization. */
export interface Autoscaling {
  /** @default the Deployment's `replicas` (2) */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization, percent of the request. @default 70 */
  readonly cpuUtilization?: number;
  /** Target average memory utilization, percent of the request. @default none */
  readonly memoryUtilization?: number;
}

/** A cloud load balancer in front of the workload, reachable only from the listed ranges. */
export interface LoadBalancerExposure {
  /**
   * Client address ranges allowed through the load balancer (and through the NetworkPolicy). `0.0.0.0/0` is refused.
   * @see OWASP K07
   */
  readonly sourceRanges: readonly string[];
  /** Port of the load balancer. @default the workload's `port` */
  readonly port?: number;
}

export interface HardenedDeploymentProps extends HardenedWorkloadProps {
  /**
   * Desired pods. Two or more keep the service up through node drains and rollouts.
   * @default 2
   */
  readonly replicas?: number;
  /** Port of the ClusterIP Service. @default `port` */
  readonly servicePort?: number;
  /**
   * A HorizontalPodAutoscaler; the Deployment then leaves `replicas` to it. The PodDisruptionBudget (maxUnavailable 1)
   * never blocks a drain, whatever the HPA scales to. @default none
   */
  readonly autoscaling?: Autoscaling;
  /**
   * Exposure through a LoadBalancer Service, for non-HTTP protocols an Ingress cannot carry. Needs the exemption
   * `{ rule: 'service-loadbalancer', reason }` and source ranges. @default none (prefer HardenedIngress)
   */
  readonly loadBalancer?: LoadBalancerExposure;
}

/**
 * A Deployment that can only be written hardened: the pod meets the Pod Security Standard *restricted* and the
 * NSA/CISA guide, with its own ServiceAccount, a ClusterIP Service (when it has a port), a PodDisruptionBudget, spread
 * over nodes and zones, and its own ingress NetworkPolicy. `allowFrom` / `allowTo` open exactly one connection, on
 * both ends.
 */
export class HardenedDeployment extends HardenedWorkload {
  /** The Deployment object. */
  public readonly resource: ApiObject;
  /** The ClusterIP Service of the declared ports (`port`, `ports`, sidecars' ports), when there are any. */
  public readonly service?: ApiObject;
  public readonly podDisruptionBudget: ApiObject;
  /** The HorizontalPodAutoscaler, when autoscaling is set. */
  public readonly autoscaler?: ApiObject;
  /** The LoadBalancer Service, when loadBalancer is set. */
  public readonly loadBalancerService?: ApiObject;
  private readonly nameProp: string | undefined;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id, props);
    this.nameProp = props.name;
    const replicas = requireIntegerAtLeast(
      this,
      'replicas',
      props.replicas ?? 2,
      1,
      'use 2 or more so the service survives a node drain (1 at the least)',
    );
    const template = this.podTemplate(props, {
      requiresProbes: true,
      extraSpec: { topologySpreadConstraints: this.spreadConstraints() },
    });

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this.workloadMetadata(),
      // With an autoscaler, replicas belong to it: a re-apply must not reset them. (Object.assign, not a spread
      // followed by keys, which V8 makes slow.)
      spec: Object.assign(props.autoscaling ? {} : { replicas }, {
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.selector } },
        // Never below the desired count during a rollout: surge one pod, take none away until it is ready.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template,
      }),
    });
    this.guardPodLabels(this.resource, ['spec', 'template']);

    if (props.servicePort !== undefined && props.port === undefined) {
      throw propError({
        scope: this,
        prop: 'servicePort',
        received: props.servicePort,
        problem: 'servicePort is the Service port of `port`, and the workload has no `port`',
        allowed: 'servicePort together with port',
        fix: 'set `port` to the port the container listens on, or drop servicePort',
      });
    }
    if (this.declaredPorts.length > 0) {
      requireServiceName(this, this.name, props.name);
      const servicePort =
        props.port === undefined ? undefined : requirePort(this, 'servicePort', props.servicePort ?? props.port);
      this.service = new ApiObject(this, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: this.metadata(),
        // ClusterIP only: no NodePort, LoadBalancer or externalIPs (OWASP K07); expose through a HardenedIngress.
        spec: { type: 'ClusterIP', selector: { ...this.selector }, ports: this.servicePorts(servicePort) },
      });
    }
    this.podDisruptionBudget = this.disruptionBudget();
    if (props.loadBalancer) this.loadBalancerService = this.createLoadBalancer(props.loadBalancer, props.port);
    if (props.autoscaling) this.autoscaler = this.createAutoscaler(props.autoscaling, props.replicas ?? 2);
  }

  private createLoadBalancer(lb: LoadBalancerExposure, port: number | undefined): ApiObject {
    if (!this.exemptions.has('service-loadbalancer')) {
      throw propError({
        scope: this,
        prop: 'loadBalancer',
        received: lb,
        problem: 'a LoadBalancer opens the workload to networks outside the cluster',
        allowed: "a loadBalancer with the exemption { rule: 'service-loadbalancer', reason }",
        fix: "expose HTTP(S) with a HardenedIngress; for other protocols add the exemption { rule: 'service-loadbalancer', reason: '<why>' }",
      });
    }
    if (port === undefined) {
      throw propError({
        scope: this,
        prop: 'loadBalancer',
        received: lb,
        problem: 'the workload has no port',
        allowed: 'a workload with `port`',
        fix: 'set `port` to the port the container listens on',
      });
    }
    if (!Array.isArray(lb.sourceRanges) || lb.sourceRanges.length === 0) {
      throw propError({
        scope: this,
        prop: 'loadBalancer.sourceRanges',
        received: lb.sourceRanges,
        allowed: 'one or more client CIDRs, none of them /0',
        fix: "list the client networks, e.g. ['203.0.113.0/24']",
      });
    }
    lb.sourceRanges.forEach((cidr, i) => {
      if (!isCidr(cidr) || isOpenToAll(cidr)) {
        throw propError({
          scope: this,
          prop: `loadBalancer.sourceRanges[${i}]`,
          received: cidr,
          problem: isCidr(cidr) ? 'admits every address on the internet' : 'not a CIDR',
          allowed: 'an IPv4 or IPv6 CIDR narrower than /0, e.g. 203.0.113.0/24',
          fix: 'list the client networks that need access',
        });
      }
      // Client IPs are preserved (externalTrafficPolicy Local), so the NetworkPolicy can admit exactly these ranges.
      this.allowIngressFromCidr(cidr, port);
    });
    const together = openToAllReason(lb.sourceRanges);
    if (together) {
      throw propError({
        scope: this,
        prop: 'loadBalancer.sourceRanges',
        received: lb.sourceRanges,
        problem: `admits every address on the internet: ${together}`,
        allowed:
          'client networks that together cover at most 6.25% of the public IPv4 and IPv6 space, e.g. 203.0.113.0/24',
        fix: 'list the client networks that need access',
      });
    }
    const lbPort = requirePort(this, 'loadBalancer.port', lb.port ?? port);
    requireServiceName(this, this.name, this.nameProp, '-lb');
    return new ApiObject(this, 'LoadBalancer', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.metadata({ annotations: this.exemptionAnnotations }, `${this.name}-lb`),
      spec: {
        type: 'LoadBalancer',
        selector: { ...this.selector },
        externalTrafficPolicy: 'Local',
        loadBalancerSourceRanges: [...lb.sourceRanges],
        ports: [{ name: 'main', port: lbPort, targetPort: 'main', protocol: 'TCP' }],
      },
    });
  }

  private createAutoscaler(a: Autoscaling, replicas: number): ApiObject {
    const min = requireIntegerAtLeast(this, 'autoscaling.minReplicas', a.minReplicas ?? replicas, 1, 'use 2 or more');
    const max = a.maxReplicas;
    if (!Number.isInteger(max) || max < min || max > INT32_MAX) {
      throw propError({
        scope: this,
        prop: 'autoscaling.maxReplicas',
        received: max,
        problem: max > INT32_MAX ? 'above the int32 range of the field' : `below minReplicas ${min}`,
        allowed: `an integer from minReplicas (${min}) to ${INT32_MAX}`,
        fix: max > INT32_MAX ? 'set the most pods the workload may scale to' : `set maxReplicas to at least ${min}`,
      });
    }
    const utilization = (prop: string, v: number | undefined) =>
      v === undefined ? undefined : requireIntegerAtLeast(this, prop, v, 1, 'use a percentage such as 70', 100);
    const cpu = utilization('autoscaling.cpuUtilization', a.cpuUtilization ?? 70);
    const memory = utilization('autoscaling.memoryUtilization', a.memoryUtilization);
    const metric = (name: string, averageUtilization: number) => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization } },
    });
    return new ApiObject(this, 'Autoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: this.metadata(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicas: min,
        maxReplicas: max,
        metrics: [metric('cpu', cpu as number), ...(memory !== undefined ? [metric('memory', memory)] : [])],
        // Scale down slowly: a burst right after a scale-down would find too few pods.
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    });
  }
}
