import type { Probe } from 'kubernetes-types/core/v1';
import type { ResolvedPort } from './container-ports';

/** Timing of a probe; defaults suit a service that starts in seconds. */
export interface HealthProbeOptions {
  /** @default 5 (readiness), 15 (liveness) */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
}

/** The port a probe checks: a number, or the name of one of the container's ports. */
export type ProbePort = number | string;

type ProbeHandler = Pick<Probe, 'httpGet' | 'tcpSocket' | 'exec' | 'grpc'>;

/**
 * A readiness or liveness probe. Hardened workloads always have both: without them a broken pod keeps receiving
 * traffic and is never restarted.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export class HealthProbe {
  /**
   * HTTP GET on a path; the port defaults to the container's first port. `headers` are sent with the request (no
   * credentials: a probe header is a literal in the manifest).
   */
  public static http(
    path: string,
    options: HealthProbeOptions & {
      readonly port?: ProbePort;
      readonly headers?: Readonly<Record<string, string>>;
    } = {},
  ): HealthProbe {
    const headers = Object.entries(options.headers ?? {}).map(([name, value]) => ({ name, value }));
    return new HealthProbe(
      {
        httpGet: { path, port: options.port ?? PORT_PLACEHOLDER, ...(headers.length ? { httpHeaders: headers } : {}) },
      },
      options,
    );
  }

  /** TCP connect; the port defaults to the container's first port. */
  public static tcp(options: HealthProbeOptions & { readonly port?: ProbePort } = {}): HealthProbe {
    return new HealthProbe({ tcpSocket: { port: options.port ?? PORT_PLACEHOLDER } }, options);
  }

  /** A command run in the container; healthy when it exits 0. For workers without a port. */
  public static exec(command: readonly string[], options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe({ exec: { command: [...command] } }, options);
  }

  /** gRPC health checking protocol; the port defaults to the workload's port. */
  public static grpc(
    options: HealthProbeOptions & { readonly port?: ProbePort; readonly service?: string } = {},
  ): HealthProbe {
    return new HealthProbe(
      {
        grpc: {
          port: (options.port ?? PORT_PLACEHOLDER) as number,
          ...(options.service !== undefined ? { service: options.service } : {}),
        },
      },
      options,
    );
  }

  private constructor(
    private readonly handler: ProbeHandler,
    private readonly options: HealthProbeOptions,
  ) {}

  /** True when the probe needs a port and none was given to it. */
  public get needsPort(): boolean {
    return this._portRef === PORT_PLACEHOLDER;
  }

  /** @internal The port given to the probe (a number or a port name), PORT_PLACEHOLDER for the default, or none. */
  public get _portRef(): ProbePort | undefined {
    const h = this.handler;
    return h.httpGet?.port ?? h.tcpSocket?.port ?? h.grpc?.port;
  }

  /** @internal The timings given to the probe. */
  public get _timings(): HealthProbeOptions {
    return this.options;
  }

  /** @internal The command of an exec probe. */
  public get _command(): readonly string[] | undefined {
    return this.handler.exec?.command;
  }

  /** @internal The HTTP headers of the probe. */
  public get _headers(): readonly { name: string; value: string }[] {
    return this.handler.httpGet?.httpHeaders ?? [];
  }

  /**
   * @internal The probe as Kubernetes JSON: the default port is the container's first port; a named port stays a
   * name (the kubelet resolves it), except for gRPC, whose port must be a number.
   */
  public _render(ports: readonly ResolvedPort[], defaultInitialDelay: number): Probe {
    const h = this.handler;
    // The handler first, then the timings, each added to an object made here (not spread into a new one, which V8
    // makes slow for the keys added after the spread).
    const probe: Probe = h.httpGet
      ? { httpGet: { ...h.httpGet, port: portOf(h.httpGet.port, ports) } }
      : h.tcpSocket
        ? { tcpSocket: { port: portOf(h.tcpSocket.port, ports) } }
        : h.grpc
          ? { grpc: { ...h.grpc, port: portNumberOf(h.grpc.port, ports) } }
          : { exec: h.exec };
    probe.initialDelaySeconds = this.options.initialDelaySeconds ?? defaultInitialDelay;
    probe.periodSeconds = this.options.periodSeconds ?? 10;
    probe.timeoutSeconds = this.options.timeoutSeconds ?? 3;
    probe.failureThreshold = this.options.failureThreshold ?? 3;
    return probe;
  }
}

/** A probe's port: the container's first port for the default, else as given (a number or a port name). */
function portOf(p: ProbePort, ports: readonly ResolvedPort[]): ProbePort {
  return p === PORT_PLACEHOLDER ? ports[0].port : p;
}

/** A probe's port as a number (gRPC): a port name is looked up among the container's ports. */
function portNumberOf(p: ProbePort, ports: readonly ResolvedPort[]): number {
  const q = portOf(p, ports);
  return typeof q === 'string' ? (ports.find((r) => r.name === q)?.port as number) : q;
}

/** @internal */
export const PORT_PLACEHOLDER = -1;
