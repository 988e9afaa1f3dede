import { IConstruct } from 'constructs';
import type { Container, PodSpec, PodTemplateSpec, Volume, VolumeMount } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { Exemption } from '../construct/exemptions';
import { requireIntegerAtLeast, requireMountPath, requirePort, requireQuantity } from '../construct/validators';
import { isFromAllowedRegistry, parseImageRef } from '../k8s/image-ref';
import { HealthProbe } from './health-probe';
import { NODE_POOL_KEY, nodePoolLabels, nodePoolTaint } from '../k8s/node-pools';
import { isDns1123Label } from '../construct/validators';
import { SecretEnv, SecretFiles } from '../secrets/secret-source';

/** Where a sensitive workload runs. */
export interface Isolation {
  /**
   * Dedicated node pool (label and taint `bulwark.dev/pool=<pool>`), created by the cluster components.
   * Pods are pinned to it and tolerate its taint; nothing else is scheduled there.
   */
  readonly pool: string;
}

/**
 * What a team chooses about a hardened pod. Everything that makes it meet the Pod Security Standard *restricted*
 * (non-root user, seccomp, no privilege escalation, read-only root, dropped capabilities, ...) is fixed and is not a prop.
 */
export interface HardenedPodProps {
  /**
   * Container image, pinned by digest (`registry/name@sha256:<64 hex>`).
   * A mutable tag needs the exemption `{ rule: 'image-digest', reason }`.
   * @see CIS 5.5.1, NSA/CISA "Supply chain": what runs must be what was scanned.
   */
  readonly image: string;
  /** Entrypoint override. @default the image's */
  readonly command?: readonly string[];
  /** Arguments. @default the image's */
  readonly args?: readonly string[];
  /** Plain environment variables (no secrets: reference them from an external store). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Port the container listens on (TCP). Probes default to it and a ClusterIP Service exposes it. @default none */
  readonly port?: number;
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
  /** Readiness probe. @default TCP connect on `port` */
  readonly readinessProbe?: HealthProbe;
  /** Liveness probe. @default TCP connect on `port` */
  readonly livenessProbe?: HealthProbe;
  /** Non-root user id the container runs as. @default 10001 */
  readonly runAsUser?: number;
  /** Group id the container runs as. @default 10001 */
  readonly runAsGroup?: number;
  /** Group that owns mounted volumes. @default 10001 */
  readonly fsGroup?: number;
  /** Registries images may come from (`ghcr.io` or `ghcr.io/acme`). @default any registry */
  readonly allowedRegistries?: readonly string[];
  /**
   * Secrets mounted as read-only files, from an ExternalSecret or a SecretProviderClass (never literal values).
   * @default none
   * @see OWASP K08 "Secrets management failures"
   */
  readonly secretFiles?: readonly SecretFiles[];
  /** Environment variables read from keys of an ExternalSecret. Prefer files: env leaks into crash dumps. @default none */
  readonly secretEnv?: Readonly<Record<string, SecretEnv>>;
  /** Run on a dedicated, tainted node pool. @default shared nodes */
  readonly isolation?: Isolation;
  /** PriorityClass of the pods, so critical workloads are scheduled (and evicted) in the right order. @default none */
  readonly priorityClassName?: string;
  /**
   * The only way out of a rule: `{ rule, reason }`, recorded on the objects as `exempt.bulwark.dev/<rule>` annotations.
   * @default none
   */
  readonly exemptions?: readonly Exemption[];
}

export const DEFAULT_USER_ID = 10001;

/** Where Kubernetes client libraries read the in-cluster token, CA and namespace. */
export const API_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Token lifetime: short, bound to the pod; the kubelet refreshes it before expiry. */
export const API_TOKEN_EXPIRATION_SECONDS = 3600;

const API_TOKEN_VOLUME: Volume = {
  name: 'kube-api-access',
  projected: {
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: API_TOKEN_EXPIRATION_SECONDS } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ],
  },
};
const MIN_USER_ID = 1;
const MAX_USER_ID = 2147483647;

interface ResourcePair {
  readonly request: string;
  readonly limit: string;
}

/** Resolved resources for one container: requests and limits with defaults, limits never below requests. */
function resolveResources(scope: IConstruct, props: HardenedPodProps) {
  const pair = (name: string, req: string | undefined, lim: string | undefined, d: ResourcePair, ex: string) => {
    const reqProp = `${name}Request`;
    const limProp = `${name}Limit`;
    const request = req ?? d.request;
    const reqValue = requireQuantity(scope, reqProp, request, ex);
    let limit = lim;
    if (limit === undefined) {
      limit = reqValue > (requireQuantity(scope, limProp, d.limit, ex) as number) ? request : d.limit;
    }
    const limValue = requireQuantity(scope, limProp, limit, ex);
    if (limValue < reqValue) {
      throw propError({
        scope,
        prop: limProp,
        received: limit,
        problem: `below ${reqProp} ${JSON.stringify(request)}`,
        allowed: `a quantity ≥ ${reqProp}`,
        fix: `raise ${limProp} to at least ${JSON.stringify(request)} or lower ${reqProp}`,
      });
    }
    return { request, limit };
  };
  return {
    cpu: pair('cpu', props.cpuRequest, props.cpuLimit, { request: '100m', limit: '500m' }, '250m'),
    memory: pair('memory', props.memoryRequest, props.memoryLimit, { request: '128Mi', limit: '256Mi' }, '256Mi'),
    ephemeral: pair(
      'ephemeralStorage',
      props.ephemeralStorageRequest,
      props.ephemeralStorageLimit,
      { request: '64Mi', limit: '256Mi' },
      '1Gi',
    ),
  };
}

function validateImage(scope: IConstruct, props: HardenedPodProps, exempt: ReadonlyMap<string, string>): string {
  const image = props.image;
  const fixPin = `pin the image by digest, e.g. "ghcr.io/acme/api@sha256:<64 hex>" (docker buildx imagetools inspect <image> prints it)`;
  const allowed = 'an image reference pinned by digest: registry/name@sha256:<64 hex>';
  if (typeof image !== 'string' || image.length === 0) {
    throw propError({ scope, prop: 'image', received: image, problem: 'empty image', allowed, fix: fixPin });
  }
  const ref = parseImageRef(image);
  if (!ref) {
    throw propError({
      scope,
      prop: 'image',
      received: image,
      problem: 'not a valid image reference',
      allowed,
      fix: fixPin,
    });
  }
  if (ref.tag === 'latest') {
    throw propError({
      scope,
      prop: 'image',
      received: image,
      problem: "the tag ':latest' names no version at all",
      allowed,
      fix: fixPin,
    });
  }
  if (!ref.digest && !exempt.has('image-digest')) {
    throw propError({
      scope,
      prop: 'image',
      received: image,
      problem: ref.tag ? `the tag ':${ref.tag}' is mutable` : 'no digest, and no tag, which means :latest',
      allowed,
      fix: `${fixPin}, or add the exemption { rule: 'image-digest', reason: '<why this image cannot be pinned>' }`,
    });
  }
  const registries = props.allowedRegistries;
  if (
    registries &&
    registries.length > 0 &&
    !isFromAllowedRegistry(image, registries) &&
    !exempt.has('image-registry')
  ) {
    throw propError({
      scope,
      prop: 'image',
      received: image,
      problem: `registry '${ref.registry}' is not in allowedRegistries`,
      allowed: `images from ${registries.map((r) => `'${r}'`).join(', ')}`,
      fix: `mirror the image into an allowed registry, or add the exemption { rule: 'image-registry', reason: '<why>' }`,
    });
  }
  return image;
}

function volumeNameFor(path: string): string {
  const s = path
    .replace(/^\/+/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `rw-${s}`.slice(0, 63).replace(/-+$/, '');
}

function resolveWritablePaths(
  scope: IConstruct,
  props: HardenedPodProps,
): { volumes: Volume[]; mounts: VolumeMount[] } {
  const paths = props.writablePaths ?? ['/tmp'];
  const sizeLimit = props.writablePathSizeLimit ?? '64Mi';
  requireQuantity(scope, 'writablePathSizeLimit', sizeLimit, '64Mi');
  const volumes: Volume[] = [];
  const mounts: VolumeMount[] = [];
  const seen = new Map<string, string>();
  paths.forEach((p, i) => {
    const prop = `writablePaths[${i}]`;
    const normalized = requireMountPath(scope, prop, p, "name only the directories the process writes to, e.g. '/tmp'");
    const name = volumeNameFor(normalized);
    if (seen.has(name)) {
      throw propError({
        scope,
        prop,
        received: p,
        problem: `same volume as ${JSON.stringify(seen.get(name))}`,
        allowed: 'each writable path once',
        fix: 'remove the duplicate path',
      });
    }
    seen.set(name, p);
    volumes.push({ name, emptyDir: { sizeLimit } });
    mounts.push({ name, mountPath: normalized });
  });
  return { volumes, mounts };
}

function resolveIsolation(scope: IConstruct, isolation: Isolation): Partial<PodSpec> {
  if (typeof isolation.pool !== 'string' || !isDns1123Label(isolation.pool)) {
    throw propError({
      scope,
      prop: 'isolation.pool',
      received: isolation.pool,
      allowed: 'a node pool name (DNS-1123 label)',
      fix: "name the dedicated pool, e.g. 'sensitive', and create it with the cluster component's isolated pool",
    });
  }
  const taint = nodePoolTaint(isolation.pool);
  return {
    // Pinned to the pool (nodeSelector) and tolerating its taint; the taint keeps every other pod off it.
    nodeSelector: nodePoolLabels(isolation.pool),
    tolerations: [{ key: NODE_POOL_KEY, operator: 'Equal', value: taint.value, effect: taint.effect }],
  };
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Names that say their value is a secret: such a value must come from a store, not sit in the manifest. */
const SECRET_LIKE_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

function checkPlainEnv(scope: IConstruct, env: Readonly<Record<string, string>> | undefined): void {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw propError({
        scope,
        prop: 'env',
        received: name,
        allowed: "an environment variable name (letters, digits, '_', '-', '.', not starting with a digit)",
        fix: "use a name such as 'LOG_LEVEL'",
      });
    }
    if (SECRET_LIKE_ENV.test(name)) {
      throw propError({
        scope,
        prop: `env['${name}']`,
        received: value.length > 0 ? '<redacted>' : value,
        problem: 'a secret-looking variable with a literal value would be written into the manifest',
        allowed: 'plain configuration only; secrets come from secretEnv or secretFiles (OWASP K08)',
        fix: `move it to an ExternalSecret and read it with secretEnv: { ${name}: { source, key } }`,
      });
    }
  }
}

function resolveSecrets(
  scope: IConstruct,
  props: HardenedPodProps,
  namespace: string,
  volumes: Volume[],
  mounts: VolumeMount[],
  container: Container,
): void {
  const volumeOf = new Map<object, string>();
  const sameNamespace = (prop: string, source: { namespace: string; description: string }) => {
    if (source.namespace !== namespace) {
      throw propError({
        scope,
        prop,
        received: source.description,
        problem: `a pod in namespace '${namespace}' cannot mount a secret of namespace '${source.namespace}'`,
        allowed: `a secret source in namespace '${namespace}'`,
        fix: 'create the ExternalSecret or SecretProviderClass in the workload’s namespace',
      });
    }
  };
  (props.secretFiles ?? []).forEach((f, i) => {
    const prop = `secretFiles[${i}]`;
    sameNamespace(`${prop}.source`, f.source);
    const mountPath = requireMountPath(
      scope,
      `${prop}.mountPath`,
      f.mountPath,
      "mount secrets in a directory of their own, e.g. '/var/run/secrets/db'",
    );
    const name = `secret-${volumes.length}`;
    volumes.push({ name, ...f.source._volume() });
    mounts.push({ name, mountPath, readOnly: true });
    volumeOf.set(f.source, name);
  });
  const env = Object.entries(props.secretEnv ?? {});
  for (const [envName, ref] of env) {
    const prop = `secretEnv['${envName}']`;
    sameNamespace(`${prop}.source`, ref.source);
    if (!ENV_NAME.test(envName)) {
      throw propError({
        scope,
        prop: 'secretEnv',
        received: envName,
        allowed: "an environment variable name (letters, digits, '_', '-', '.', not starting with a digit)",
        fix: "use a name such as 'DB_PASSWORD'",
      });
    }
    if (ref.source._kubernetesSecretName === undefined) {
      throw propError({
        scope,
        prop: `${prop}.source`,
        received: ref.source.description,
        problem: 'a CSI volume materializes no Kubernetes Secret to read environment variables from',
        allowed: 'an ExternalSecret',
        fix: 'mount the SecretProviderClass with secretFiles and read the file, or use an ExternalSecret',
      });
    }
    const hasKey = (ref.source as { hasKey?: (k: string) => boolean }).hasKey;
    if (hasKey && !hasKey.call(ref.source, ref.key)) {
      throw propError({
        scope,
        prop: `${prop}.key`,
        received: ref.key,
        problem: `${ref.source.description} has no such key`,
        allowed: 'a key listed in the ExternalSecret data',
        fix: 'add the key to the ExternalSecret or fix the name',
      });
    }
  }
  if (env.length > 0) {
    container.env = [
      ...(container.env ?? []),
      ...env.map(([name, ref]) => ({
        name,
        valueFrom: { secretKeyRef: { name: ref.source._kubernetesSecretName as string, key: ref.key } },
      })),
    ];
  }
  if (mounts.length > 0) container.volumeMounts = mounts;
}

export interface HardenedPodContext {
  /** Namespace of the pod (secret sources must be in it). */
  readonly namespace: string;
  /** Container name (the workload's name). */
  readonly containerName: string;
  readonly podLabels: Record<string, string>;
  readonly podAnnotations: Record<string, string>;
  readonly serviceAccountName: string;
  /** Project a short-lived API token only when the account has API rules (CIS 5.1.6); never automount. */
  readonly mountServiceAccountToken: boolean;
  /** Long-running workloads need probes; run-to-completion ones (Jobs) do not. */
  readonly requiresProbes: boolean;
  readonly exemptions: ReadonlyMap<string, string>;
  /** Mounts of volumes the workload kind owns (a StatefulSet's claim templates). */
  readonly extraVolumeMounts?: readonly VolumeMount[];
  /** Extra pod spec fields owned by the workload kind (topology spread, restartPolicy, ...). */
  readonly extraSpec?: Partial<PodSpec>;
}

/**
 * Builds the pod template every hardened workload shares: the one place where the restricted Pod Security Standard,
 * the NSA/CISA guide and the CIS pod controls are put into a pod spec.
 */
export function buildHardenedPodTemplate(
  scope: IConstruct,
  props: HardenedPodProps,
  ctx: HardenedPodContext,
): PodTemplateSpec {
  const image = validateImage(scope, props, ctx.exemptions);
  const port = props.port === undefined ? undefined : requirePort(scope, 'port', props.port);
  if (port !== undefined && port < 1024 && !props.netBindService) {
    throw propError({
      scope,
      prop: 'port',
      received: port,
      problem: 'a non-root process cannot bind a port below 1024 without NET_BIND_SERVICE',
      allowed: 'a port from 1024 to 65535, or a lower port with netBindService: true',
      fix: 'listen on a port ≥ 1024 (the Service can still expose 80/443), or set netBindService: true',
    });
  }
  checkPlainEnv(scope, props.env);
  const idFix = `use a non-root id ≥ ${MIN_USER_ID}; the default ${DEFAULT_USER_ID} avoids clashing with host users`;
  const runAsUser = requireIntegerAtLeast(
    scope,
    'runAsUser',
    props.runAsUser ?? DEFAULT_USER_ID,
    MIN_USER_ID,
    idFix,
    MAX_USER_ID,
  );
  const runAsGroup = requireIntegerAtLeast(
    scope,
    'runAsGroup',
    props.runAsGroup ?? DEFAULT_USER_ID,
    MIN_USER_ID,
    idFix,
    MAX_USER_ID,
  );
  const fsGroup = requireIntegerAtLeast(
    scope,
    'fsGroup',
    props.fsGroup ?? DEFAULT_USER_ID,
    MIN_USER_ID,
    idFix,
    MAX_USER_ID,
  );
  const resources = resolveResources(scope, props);
  const { volumes, mounts } = resolveWritablePaths(scope, props);

  const probesExempt = ctx.exemptions.has('workload-probes');
  const probe = (which: 'readinessProbe' | 'livenessProbe', delay: number) => {
    const given = props[which];
    if (given) {
      if (given.needsPort && port === undefined) {
        throw propError({
          scope,
          prop: which,
          received: 'a probe on the workload port',
          problem: 'the workload has no port',
          allowed: 'a probe with an explicit port, an exec probe, or a workload with `port`',
          fix: 'set `port`, or give the probe its own port, e.g. HealthProbe.http("/healthz", { port: 9090 })',
        });
      }
      return given._render(port, delay);
    }
    if (!ctx.requiresProbes || probesExempt) return undefined;
    if (port === undefined) {
      throw propError({
        scope,
        prop: which,
        received: undefined,
        problem: 'no port to derive a probe from',
        allowed: 'a HealthProbe (exec, http, tcp or grpc), or a `port` to default it from',
        fix: `give ${which}: HealthProbe.exec([...]) for a worker, set \`port\`, or add the exemption { rule: 'workload-probes', reason: '<why>' }`,
      });
    }
    return HealthProbe.tcp()._render(port, delay);
  };
  const readinessProbe = probe('readinessProbe', 5);
  const livenessProbe = probe('livenessProbe', 15);

  // Fixed hardening, one line of why each:
  const container: Container = {
    name: ctx.containerName,
    image,
    // Always: the kubelet re-checks the pull credentials, so a cached private image is not reusable by another tenant.
    imagePullPolicy: 'Always',
    ...(props.command ? { command: [...props.command] } : {}),
    ...(props.args ? { args: [...props.args] } : {}),
    ...(props.env ? { env: Object.entries(props.env).map(([name, value]) => ({ name, value })) } : {}),
    ...(port !== undefined ? { ports: [{ name: 'main', containerPort: port, protocol: 'TCP' }] } : {}),
    resources: {
      // CIS 5.7 / NSA "resource policies": bounded use keeps one pod from starving its node.
      requests: {
        cpu: resources.cpu.request,
        memory: resources.memory.request,
        'ephemeral-storage': resources.ephemeral.request,
      },
      limits: {
        cpu: resources.cpu.limit,
        memory: resources.memory.limit,
        'ephemeral-storage': resources.ephemeral.limit,
      },
    },
    ...(readinessProbe ? { readinessProbe } : {}),
    ...(livenessProbe ? { livenessProbe } : {}),
    securityContext: {
      // PSS restricted: run as a non-root user with an explicit uid, so root images fail closed instead of running.
      runAsNonRoot: true,
      runAsUser,
      runAsGroup,
      // PSS restricted "Privilege escalation": no setuid binaries gaining privileges.
      allowPrivilegeEscalation: false,
      // PSS baseline "Privileged containers".
      privileged: false,
      // NSA/CISA "Immutable container file systems": writes only to the emptyDir mounts below.
      readOnlyRootFilesystem: true,
      // PSS restricted "Capabilities": drop ALL, add back NET_BIND_SERVICE only when asked.
      capabilities: { drop: ['ALL'], ...(props.netBindService ? { add: ['NET_BIND_SERVICE'] } : {}) },
      // PSS restricted "Seccomp": the runtime's default syscall filter.
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };

  mounts.push(...(ctx.extraVolumeMounts ?? []));
  resolveSecrets(scope, props, ctx.namespace, volumes, mounts, container);
  if (
    props.priorityClassName !== undefined &&
    !isDns1123Label(props.priorityClassName) &&
    props.priorityClassName.length > 0
  ) {
    throw propError({
      scope,
      prop: 'priorityClassName',
      received: props.priorityClassName,
      allowed: 'the name of a PriorityClass (a DNS-1123 name)',
      fix: 'name an existing PriorityClass, e.g. "business-critical"',
    });
  }
  const isolation = props.isolation ? resolveIsolation(scope, props.isolation) : undefined;
  if (ctx.mountServiceAccountToken) {
    // Only a workload whose account has API rules gets a token, and then an explicit one: bound to the pod, valid for
    // an hour (the kubelet rotates it), read-only, where client libraries look for it.
    volumes.push(API_TOKEN_VOLUME);
    mounts.push({ name: API_TOKEN_VOLUME.name, mountPath: API_TOKEN_PATH, readOnly: true });
    container.volumeMounts = mounts;
  }

  const spec: PodSpec = {
    // CIS 5.1.5/5.1.6: a dedicated service account, and no automounted token (see the projected one above).
    serviceAccountName: ctx.serviceAccountName,
    automountServiceAccountToken: false,
    // Service discovery through DNS only: no environment variables leaking every Service in the namespace.
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser,
      runAsGroup,
      fsGroup,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [container],
    ...(volumes.length ? { volumes } : {}),
    ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
    ...(isolation ?? {}),
    ...ctx.extraSpec,
  };
  return {
    metadata: {
      labels: ctx.podLabels,
      ...(Object.keys(ctx.podAnnotations).length ? { annotations: ctx.podAnnotations } : {}),
    },
    spec,
  };
}
