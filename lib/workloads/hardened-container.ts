import { IConstruct } from 'constructs';
import type { Container, Probe, SecurityContext, VolumeMount } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { requireMountPath, requireQuantity } from '../construct/validators';
import { INT32_MAX } from '../k8s/api-integers';
import { LIMIT_CEILING, unboundedLimitProblem } from '../policy/rules/workload-resources/check';
import { buildEnv, requireSameNamespace, SECRET_LIKE_NAME } from './container-env';
import { containerPorts, describePorts, resolvePorts, ResolvedPort } from './container-ports';
import { ContainerOptions } from './container-spec';
import { HealthProbe, PORT_PLACEHOLDER } from './health-probe';
import { PodVolumes } from './pod-volumes';
import { secretVolumeProblem } from '../secrets/secret-volume';

/** What a container is to its pod: the main container, a run-to-completion init container, or a native sidecar. */
export type ContainerRole = 'main' | 'init' | 'sidecar';

/** What the pod decides for each of its containers. */
export interface ContainerContext {
  readonly role: ContainerRole;
  readonly name: string;
  /** The image, already checked against the pod's image policy. */
  readonly image: string;
  readonly namespace: string;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  /** The pod's volumes, shared by its containers. */
  readonly volumes: PodVolumes;
  /** Port names and `port/protocol` pairs already used in the pod → the prop that declared them. */
  readonly podPorts: Map<string, string>;
  /** True when the main container must have readiness and liveness probes (defaulted to TCP on its first port). */
  readonly requiresProbes: boolean;
  /** Mounts of volumes the workload kind owns (a StatefulSet's claims), main container only. */
  readonly extraVolumeMounts?: readonly VolumeMount[];
  /** Mount paths the pod itself uses in this container (the API token), → what is mounted there. */
  readonly reservedMountPaths?: ReadonlyMap<string, string>;
}

/** A container as written, with its checked ports (the workload's Service and policies use them). */
export interface HardenedContainer {
  readonly container: Container;
  readonly ports: readonly ResolvedPort[];
}

/**
 * The security context of every container bulwark writes (main, init, sidecar): fixed, one line of why each.
 */
export function hardenedSecurityContext(
  runAsUser: number,
  runAsGroup: number,
  netBindService: boolean,
): SecurityContext {
  return {
    // PSS restricted: run as a non-root user with an explicit uid, so root images fail closed instead of running.
    runAsNonRoot: true,
    runAsUser,
    runAsGroup,
    // PSS restricted "Privilege escalation": no setuid binaries gaining privileges.
    allowPrivilegeEscalation: false,
    // PSS baseline "Privileged containers".
    privileged: false,
    // NSA/CISA "Immutable container file systems": writes only to the emptyDir mounts of writablePaths.
    readOnlyRootFilesystem: true,
    // PSS restricted "Capabilities": drop ALL, add back NET_BIND_SERVICE only when asked.
    capabilities: { drop: ['ALL'], ...(netBindService ? { add: ['NET_BIND_SERVICE'] } : {}) },
    // PSS restricted "Seccomp": the runtime's default syscall filter.
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * One hardened container of a pod, from its ContainerSpec: the same code for the main container, init containers and
 * sidecars, so none of them can be weaker than the others. `p` turns a prop name into its path in the props.
 */
export function buildHardenedContainer(
  scope: IConstruct,
  p: (prop: string) => string,
  spec: ContainerOptions,
  ctx: ContainerContext,
): HardenedContainer {
  if (ctx.role === 'init' && (spec.port !== undefined || (spec.ports ?? []).length > 0)) {
    throw propError({
      scope,
      prop: p(spec.port !== undefined ? 'port' : 'ports'),
      received: spec.port ?? spec.ports,
      problem: 'an init container runs to completion before the pod starts: nothing can connect to it',
      allowed: 'no ports on an init container',
      fix: 'remove the port, or declare the container in `sidecars` if it keeps serving',
    });
  }
  const ports = resolvePorts(scope, p, spec, ctx.podPorts);
  const env = buildEnv(scope, p, spec, ctx.namespace);
  const resources = resolveResources(scope, p, spec);
  const writable = writableMounts(scope, p, spec, ctx.volumes);
  const extra = ctx.role === 'main' ? (ctx.extraVolumeMounts ?? []) : [];
  const secret = secretMounts(scope, p, spec, ctx);
  const config = configMounts(scope, p, spec, ctx);
  requireDistinctMountPaths(scope, ctx, [
    ...writable.map((m, i) => ({
      m,
      prop: p(`writablePaths[${i}]`),
      what: 'a writable path',
      given: (spec.writablePaths ?? [])[i],
    })),
    ...extra.map((m) => ({ m, prop: 'volumeClaims', what: `the volume claim '${m.name}'`, given: m.mountPath })),
    ...secret.map((m, i) => ({
      m,
      prop: p(`secretFiles[${i}].mountPath`),
      what: 'secret files',
      given: (spec.secretFiles ?? [])[i]?.mountPath,
    })),
    ...config.map((m, i) => ({
      m,
      prop: p(`configFiles[${i}].mountPath`),
      what: 'config files',
      given: (spec.configFiles ?? [])[i]?.mountPath,
    })),
  ]);
  const mounts = [...writable, ...extra, ...secret, ...config];
  const probes = resolveProbes(scope, p, spec, ctx, ports);

  // Fixed hardening, one line of why each:
  const container: Container = {
    name: ctx.name,
    image: ctx.image,
    // Always: the kubelet re-checks the pull credentials, so a cached private image is not reusable by another tenant.
    imagePullPolicy: 'Always',
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.args ? { args: [...spec.args] } : {}),
    ...(env.length ? { env } : {}),
    ...(ports.length ? { ports: containerPorts(ports) } : {}),
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
    ...probes,
    securityContext: hardenedSecurityContext(ctx.runAsUser, ctx.runAsGroup, spec.netBindService === true),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };
  return { container, ports };
}

/**
 * Refuses two mounts at one path in a container (the API server does: "must be unique"), including the paths the
 * pod reserves, such as the service account's API token.
 */
function requireDistinctMountPaths(
  scope: IConstruct,
  ctx: ContainerContext,
  mounts: readonly { m: VolumeMount; prop: string; what: string; given: string | undefined }[],
): void {
  const seen = new Map<string, { prop: string; what: string }>(
    [...(ctx.reservedMountPaths ?? [])].map(([path, what]) => [path, { prop: '', what }]),
  );
  for (const { m, prop, what, given } of mounts) {
    const first = seen.get(m.mountPath);
    if (first !== undefined) {
      throw propError({
        scope,
        prop,
        received: given ?? m.mountPath,
        problem: `${first.what}${first.prop ? ` (${first.prop})` : ''} is mounted at the same path`,
        allowed: 'each mount path once in a container',
        fix: first.prop
          ? 'mount one of them at another directory'
          : `choose another directory: ${JSON.stringify(m.mountPath)} is taken`,
      });
    }
    seen.set(m.mountPath, { prop, what });
  }
}

interface ResourcePair {
  readonly request: string;
  readonly limit: string;
}

/** Resolved resources for one container: requests and limits with defaults, limits never below requests. */
function resolveResources(scope: IConstruct, p: (prop: string) => string, spec: ContainerOptions) {
  const pair = (
    name: string,
    resource: keyof typeof LIMIT_CEILING,
    req: string | undefined,
    lim: string | undefined,
    d: ResourcePair,
    ex: string,
  ) => {
    const reqProp = p(`${name}Request`);
    const limProp = p(`${name}Limit`);
    const request = req ?? d.request;
    const reqValue = requireQuantity(scope, reqProp, request, ex);
    let limit = lim;
    if (limit === undefined) {
      limit = reqValue > (requireQuantity(scope, limProp, d.limit, ex) as number) ? request : d.limit;
    }
    const limValue = requireQuantity(scope, limProp, limit, ex);
    const unbounded = unboundedLimitProblem(resource, limValue);
    if (unbounded !== undefined) {
      throw propError({
        scope,
        prop: limProp,
        received: limit,
        problem: unbounded,
        allowed: `a quantity above 0 and at most ${LIMIT_CEILING[resource].text}`,
        fix: `set the most the container may use, e.g. ${JSON.stringify(d.limit)}`,
      });
    }
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
    cpu: pair('cpu', 'cpu', spec.cpuRequest, spec.cpuLimit, { request: '100m', limit: '500m' }, '250m'),
    memory: pair(
      'memory',
      'memory',
      spec.memoryRequest,
      spec.memoryLimit,
      { request: '128Mi', limit: '256Mi' },
      '256Mi',
    ),
    ephemeral: pair(
      'ephemeralStorage',
      'ephemeral-storage',
      spec.ephemeralStorageRequest,
      spec.ephemeralStorageLimit,
      { request: '64Mi', limit: '256Mi' },
      '1Gi',
    ),
  };
}

function volumeNameFor(path: string): string {
  const s = path
    .replace(/^\/+/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `rw-${s}`.slice(0, 60).replace(/-+$/, '');
}

/** One emptyDir per writable path (the root filesystem is read-only). */
function writableMounts(
  scope: IConstruct,
  p: (prop: string) => string,
  spec: ContainerOptions,
  volumes: PodVolumes,
): VolumeMount[] {
  const paths = spec.writablePaths ?? ['/tmp'];
  const sizeLimit = spec.writablePathSizeLimit ?? '64Mi';
  const size = requireQuantity(scope, p('writablePathSizeLimit'), sizeLimit, '64Mi');
  if (size === 0 || size > LIMIT_CEILING['ephemeral-storage'].value) {
    throw propError({
      scope,
      prop: p('writablePathSizeLimit'),
      received: sizeLimit,
      problem:
        size === 0
          ? 'a size limit of 0 means no limit at all: the emptyDir may fill the node'
          : 'larger than any node: the same as no limit',
      allowed: `a quantity above 0 and at most ${LIMIT_CEILING['ephemeral-storage'].text}`,
      fix: 'set the most the paths may hold, e.g. "64Mi"',
    });
  }
  const mounts: VolumeMount[] = [];
  const seen = new Map<string, string>();
  paths.forEach((path, i) => {
    const prop = p(`writablePaths[${i}]`);
    const normalized = requireMountPath(
      scope,
      prop,
      path,
      "name only the directories the process writes to, e.g. '/tmp'",
    );
    const base = volumeNameFor(normalized);
    if (seen.has(base)) {
      throw propError({
        scope,
        prop,
        received: path,
        problem: `same volume as ${JSON.stringify(seen.get(base))}`,
        allowed: 'each writable path once',
        fix: 'remove the duplicate path',
      });
    }
    seen.set(base, path);
    mounts.push({ name: volumes.add(base, { emptyDir: { sizeLimit } }), mountPath: normalized });
  });
  return mounts;
}

function secretMounts(
  scope: IConstruct,
  p: (prop: string) => string,
  spec: ContainerOptions,
  ctx: ContainerContext,
): VolumeMount[] {
  return (spec.secretFiles ?? []).map((f, i) => {
    const prop = p(`secretFiles[${i}]`);
    requireSameNamespace(scope, `${prop}.source`, f.source, ctx.namespace, 'secret');
    const volume = f.source._volume();
    const problem = secretVolumeProblem(volume);
    if (problem !== undefined) {
      throw propError({
        scope,
        prop: `${prop}.source`,
        received: f.source.description,
        problem,
        allowed:
          'a source whose volume is a Secret (ExternalSecret) or a secrets-store.csi.k8s.io CSI volume (SecretProviderClass)',
        fix: "use an ExternalSecret or a SecretProviderClass; a workload's API token comes from its LeastPrivilegeServiceAccount (one hour, bound to the pod)",
      });
    }
    const mountPath = requireMountPath(
      scope,
      `${prop}.mountPath`,
      f.mountPath,
      "mount secrets in a directory of their own, e.g. '/var/run/secrets/db'",
    );
    const name = ctx.volumes.add(`secret-${ctx.volumes.size}`, volume);
    return { name, mountPath, readOnly: true };
  });
}

function configMounts(
  scope: IConstruct,
  p: (prop: string) => string,
  spec: ContainerOptions,
  ctx: ContainerContext,
): VolumeMount[] {
  return (spec.configFiles ?? []).map((f, i) => {
    const prop = p(`configFiles[${i}]`);
    requireSameNamespace(scope, `${prop}.config`, f.config, ctx.namespace, 'config');
    const mountPath = requireMountPath(
      scope,
      `${prop}.mountPath`,
      f.mountPath,
      "mount configuration in a directory of its own, e.g. '/etc/app'",
    );
    // Read-only files (0444), from an immutable ConfigMap.
    const name = ctx.volumes.add(`config-${ctx.volumes.size}`, {
      configMap: { name: f.config.name, defaultMode: 0o444 },
    });
    return { name, mountPath, readOnly: true };
  });
}

type ProbeProp = 'readinessProbe' | 'livenessProbe' | 'startupProbe';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization)$/i;

function resolveProbes(
  scope: IConstruct,
  p: (prop: string) => string,
  spec: ContainerOptions,
  ctx: ContainerContext,
  ports: readonly ResolvedPort[],
): Partial<Record<ProbeProp, Probe>> {
  const out: Partial<Record<ProbeProp, Probe>> = {};
  const probe = (which: ProbeProp, delay: number) => {
    const given = spec[which];
    if (given && ctx.role === 'init') {
      throw propError({
        scope,
        prop: p(which),
        received: 'a probe',
        problem: 'an init container runs to completion: Kubernetes refuses probes on it',
        allowed: 'no probes on an init container',
        fix: 'remove the probe, or declare the container in `sidecars` if it keeps running',
      });
    }
    if (given) {
      checkProbe(scope, p(which), given, ports, ctx.role);
      out[which] = given._render(ports, delay);
      return;
    }
    if (which === 'startupProbe' || ctx.role !== 'main' || !ctx.requiresProbes) return;
    if (ports.length === 0) {
      throw propError({
        scope,
        prop: which,
        received: undefined,
        problem: 'no port to derive a probe from',
        allowed: 'a HealthProbe (exec, http, tcp or grpc), or a `port` to default it from',
        fix: `give ${which}: HealthProbe.exec([...]) for a worker, set \`port\`, or add the exemption { rule: 'workload-probes', reason: '<why>' }`,
      });
    }
    out[which] = HealthProbe.tcp()._render(ports, delay);
  };
  probe('startupProbe', 0);
  probe('readinessProbe', 5);
  probe('livenessProbe', 15);
  return out;
}

function checkProbe(
  scope: IConstruct,
  prop: string,
  probe: HealthProbe,
  ports: readonly ResolvedPort[],
  role: ContainerRole,
): void {
  const ref = probe._portRef;
  const who = role === 'main' ? 'the workload' : 'the container';
  if (ref === PORT_PLACEHOLDER && ports.length === 0) {
    throw propError({
      scope,
      prop,
      received: `a probe on ${role === 'main' ? 'the workload port' : 'the container port'}`,
      problem: `${who} has no port`,
      allowed: `a probe with an explicit port, an exec probe, or a ${role === 'main' ? 'workload' : 'container'} with \`port\``,
      fix: 'set `port`, or give the probe its own port, e.g. HealthProbe.http("/healthz", { port: 9090 })',
    });
  }
  if (typeof ref === 'string' && !ports.some((r) => r.name === ref)) {
    throw propError({
      scope,
      prop,
      received: ref,
      problem: `${who} has no port named '${ref}'`,
      allowed: ports.length ? `a port number, or one of its port names: ${describePorts(ports)}` : 'a port number',
      fix: 'name a declared port, or give the number',
    });
  }
  if (typeof ref === 'number' && ref !== PORT_PLACEHOLDER && (!Number.isInteger(ref) || ref < 1 || ref > 65535)) {
    throw propError({
      scope,
      prop,
      received: ref,
      allowed: 'a port from 1 to 65535 or a port name',
      fix: 'give the port the probe checks',
    });
  }
  const timings = probe._timings;
  const timing = (field: keyof typeof timings, min: number, example: number) => {
    const v = timings[field];
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > INT32_MAX)) {
      throw propError({
        scope,
        prop: `${prop}.${field}`,
        received: v,
        allowed: `an integer from ${min} to ${INT32_MAX} (seconds or a count)`,
        fix: `e.g. ${field}: ${example}`,
      });
    }
  };
  timing('initialDelaySeconds', 0, 5);
  timing('periodSeconds', 1, 10);
  timing('timeoutSeconds', 1, 3);
  timing('failureThreshold', 1, 3);
  const command = probe._command;
  if (
    command !== undefined &&
    (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string'))
  ) {
    throw propError({
      scope,
      prop,
      received: command,
      problem: 'an exec probe needs a command',
      allowed: 'a non-empty list of strings',
      fix: "e.g. HealthProbe.exec(['/app/healthcheck'])",
    });
  }
  probe._headers.forEach((h, i) => {
    if (!HEADER_NAME.test(h.name) || typeof h.value !== 'string' || /[\r\n\0]/.test(h.value)) {
      throw propError({
        scope,
        prop: `${prop}.headers`,
        received: h.name,
        allowed: 'an HTTP header name (token characters) with a single-line value',
        fix: "e.g. headers: { 'X-Probe': 'kubelet' }",
      });
    }
    if (CREDENTIAL_HEADER.test(h.name) || SECRET_LIKE_NAME.test(h.name)) {
      throw propError({
        scope,
        prop: `${prop}.headers[${i}]`,
        received: `${h.name}: <redacted>`,
        problem: 'a credential in a probe header is written into the manifest',
        allowed: 'headers without credentials',
        fix: 'serve the health endpoint without authentication on a port that only the kubelet reaches',
      });
    }
  });
}
