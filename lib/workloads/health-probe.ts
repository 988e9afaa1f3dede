import type { Probe } from 'kubernetes-types/core/v1';

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

type ProbeHandler = Pick<Probe, 'httpGet' | 'tcpSocket' | 'exec' | 'grpc'>;

/**
 * A readiness or liveness probe. Hardened workloads always have both: without them a broken pod keeps receiving
 * traffic and is never restarted.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export class HealthProbe {
  /** HTTP GET on a path; the port defaults to the workload's port. */
  public static http(path: string, options: HealthProbeOptions & { readonly port?: number } = {}): HealthProbe {
    return new HealthProbe({ httpGet: { path, port: options.port ?? PORT_PLACEHOLDER } }, options);
  }

  /** TCP connect; the port defaults to the workload's port. */
  public static tcp(options: HealthProbeOptions & { readonly port?: number } = {}): HealthProbe {
    return new HealthProbe({ tcpSocket: { port: options.port ?? PORT_PLACEHOLDER } }, options);
  }

  /** A command run in the container; healthy when it exits 0. For workers without a port. */
  public static exec(command: readonly string[], options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe({ exec: { command: [...command] } }, options);
  }

  /** gRPC health checking protocol; the port defaults to the workload's port. */
  public static grpc(
    options: HealthProbeOptions & { readonly port?: number; readonly service?: string } = {},
  ): HealthProbe {
    return new HealthProbe(
      {
        grpc: {
          port: options.port ?? PORT_PLACEHOLDER,
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
    return (
      this.handler.httpGet?.port === PORT_PLACEHOLDER ||
      this.handler.tcpSocket?.port === PORT_PLACEHOLDER ||
      this.handler.grpc?.port === PORT_PLACEHOLDER
    );
  }

  /** @internal The probe as Kubernetes JSON, with the workload's port filled in. */
  public _render(defaultPort: number | undefined, defaultInitialDelay: number): Probe {
    const port = (p: number | string) => (p === PORT_PLACEHOLDER ? (defaultPort as number) : p);
    const h = this.handler;
    const handler: ProbeHandler = h.httpGet
      ? { httpGet: { ...h.httpGet, port: port(h.httpGet.port) } }
      : h.tcpSocket
        ? { tcpSocket: { port: port(h.tcpSocket.port) } }
        : h.grpc
          ? { grpc: { ...h.grpc, port: port(h.grpc.port) as number } }
          : { exec: h.exec };
    return {
      ...handler,
      initialDelaySeconds: this.options.initialDelaySeconds ?? defaultInitialDelay,
      periodSeconds: this.options.periodSeconds ?? 10,
      timeoutSeconds: this.options.timeoutSeconds ?? 3,
      failureThreshold: this.options.failureThreshold ?? 3,
    };
  }
}

const PORT_PLACEHOLDER = -1;
