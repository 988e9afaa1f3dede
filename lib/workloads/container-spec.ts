import { SecretEnv, SecretFiles } from '../secrets/secret-source';
import type { HardenedConfigMap } from './hardened-config-map';
import { HealthProbe } from './health-probe';

/** Transport protocol of a port. */
export type PortProtocol = 'TCP' | 'UDP' | 'SCTP';

/** A named port a container listens on. Names flow to the Service, to probes and to `allowFrom`/`allowTo`. */
export interface ContainerPort {
  /** IANA service name (≤ 15 lowercase letters, digits, '-'), unique in the pod, e.g. 'http', 'grpc', 'metrics'. */
  readonly name: string;
  /** Port number, 1-65535 (below 1024 needs `netBindService`). */
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: PortProtocol;
  /**
   * Application protocol, read by service meshes and gateways (`http`, `http2`, `grpc`, `kubernetes.io/h2c`, ...).
   * @default none
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#application-protocol
   */
  readonly appProtocol?: string;
}

/** A HardenedConfigMap mounted as read-only files. */
export interface ConfigFiles {
  readonly config: HardenedConfigMap;
  /** Absolute directory of the files (one file per key). */
  readonly mountPath: string;
}

/** One key of a HardenedConfigMap, read as an environment variable. */
export interface ConfigEnv {
  readonly config: HardenedConfigMap;
  readonly key: string;
}

/**
 * What a team chooses about one container of a hardened pod (the main container, an init container or a sidecar).
 * Everything that makes a container meet the Pod Security Standard *restricted* (non-root user, no privilege
 * escalation, read-only root, dropped capabilities, seccomp, resource limits) is fixed and is not a prop: every
 * container of a pod is hardened by the same code.
 */
export interface ContainerOptions {
  /**
   * Container image, pinned by digest (`registry/name@sha256:<64 hex>`), or `repo:tag` when the images lock
   * (`bulwark.images.lock`) pins that tag. A mutable tag needs the exemption `{ rule: 'image-digest', reason }`.
   * @see CIS 5.5.1, NSA/CISA "Supply chain": what runs must be what was scanned.
   */
  readonly image: string;
  /** Entrypoint override. @default the image's */
  readonly command?: readonly string[];
  /** Arguments. @default the image's */
  readonly args?: readonly string[];
  /** Plain environment variables (no secrets: reference them from an external store). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Downward API variables: `{ POD_NAME: 'metadata.name' }`. Pod fields only (metadata.name, metadata.namespace,
   * metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName, spec.serviceAccountName,
   * status.hostIP, status.hostIPs, status.podIP, status.podIPs) or the container's own resources
   * (`limits.cpu`, `requests.memory`, ...). Secrets never come through it. @default none
   */
  readonly fieldEnv?: Readonly<Record<string, string>>;
  /** Port the container listens on (TCP, named 'main'). Probes default to it and the Service exposes it. @default none */
  readonly port?: number;
  /** Further named ports (beside `port`). @default none */
  readonly ports?: readonly ContainerPort[];
  /**
   * Add only the capability NET_BIND_SERVICE, for a port below 1024. Every other capability stays dropped.
   * @default false
   * @see PSS restricted "Capabilities"
   */
  readonly netBindService?: boolean;
  /** CPU request. @default '100m' */
  readonly cpuRequest?: string;
  /** CPU limit, ≥ the request. @default '500m' (or the request, when larger) */
  readonly cpuLimit?: string;
  /** Memory request. @default '128Mi' */
  readonly memoryRequest?: string;
  /** Memory limit, ≥ the request. @default '256Mi' (or the request, when larger) */
  readonly memoryLimit?: string;
  /** Ephemeral storage request. @default '64Mi' */
  readonly ephemeralStorageRequest?: string;
  /** Ephemeral storage limit, ≥ the request. @default '256Mi' (or the request, when larger) */
  readonly ephemeralStorageLimit?: string;
  /**
   * Absolute paths that must be writable; each becomes an emptyDir mount (the root filesystem is read-only).
   * @default ['/tmp']
   * @see NSA/CISA "Immutable container file systems"
   */
  readonly writablePaths?: readonly string[];
  /** Size limit of each writable path's emptyDir. @default '64Mi' */
  readonly writablePathSizeLimit?: string;
  /** Readiness probe. @default TCP connect on the first port (main container) */
  readonly readinessProbe?: HealthProbe;
  /** Liveness probe. @default TCP connect on the first port (main container) */
  readonly livenessProbe?: HealthProbe;
  /** Startup probe: liveness and readiness wait until it succeeds (slow starters). @default none */
  readonly startupProbe?: HealthProbe;
  /**
   * Secrets mounted as read-only files, from an ExternalSecret or a SecretProviderClass (never literal values).
   * @default none
   * @see OWASP K08 "Secrets management failures"
   */
  readonly secretFiles?: readonly SecretFiles[];
  /** Environment variables read from keys of an ExternalSecret. Prefer files: env leaks into crash dumps. @default none */
  readonly secretEnv?: Readonly<Record<string, SecretEnv>>;
  /** HardenedConfigMaps mounted read-only. @default none */
  readonly configFiles?: readonly ConfigFiles[];
  /** Environment variables read from keys of a HardenedConfigMap. @default none */
  readonly configEnv?: Readonly<Record<string, ConfigEnv>>;
}

/** An init container or a sidecar: a named container of the workload's pod, hardened exactly like the main one. */
export interface ContainerSpec extends ContainerOptions {
  /** Container name (DNS-1123 label), unique in the pod. */
  readonly name: string;
}
