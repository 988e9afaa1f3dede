import { IConstruct } from 'constructs';
import type { Container, PodSpec, PodTemplateSpec, VolumeMount } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { Exemption } from '../construct/construct-exemptions';
import { isDns1123Label, requireDnsLabel, requireIntegerAtLeast } from '../construct/validators';
import { imagesLockAt } from '../construct/images-lock-file';
import { annotationsSize, TOTAL_ANNOTATION_SIZE_LIMIT } from '../k8s/annotation-size';
import { isFromAllowedRegistry } from '../k8s/image-ref';
import { ImagesLockError, lockedImage } from '../k8s/images-lock';
import { imagePinning } from '../policy/rules/image-digest/check';
import { ResolvedPort } from './container-ports';
import { ContainerOptions, ContainerSpec } from './container-spec';
import { buildHardenedContainer, ContainerRole } from './hardened-container';
import { PlacementProps, resolvePlacement } from './pod-placement';
import { PodVolumes } from './pod-volumes';

/**
 * What a team chooses about a hardened pod: its main container (the ContainerOptions), its init containers and
 * sidecars, identity and placement. Everything that makes it meet the Pod Security Standard *restricted* (non-root
 * user, seccomp, no privilege escalation, read-only root, dropped capabilities, ...) is fixed and is not a prop, for
 * every container of the pod.
 */
export interface HardenedPodProps extends ContainerOptions, PlacementProps {
  /**
   * Containers run to completion, in order, before the main container starts (migrations, waiting for a
   * dependency, fetching files into a writable path). Hardened exactly like the main container. @default none
   */
  readonly initContainers?: readonly ContainerSpec[];
  /**
   * Containers running beside the main one for the pod's whole life (proxies, log shippers), written as native
   * sidecars (init containers with `restartPolicy: Always`, Kubernetes ≥ 1.29): they start first and stop last,
   * and a Job still completes. Hardened exactly like the main container. @default none
   */
  readonly sidecars?: readonly ContainerSpec[];
  /** Non-root user id every container runs as. @default 10001 */
  readonly runAsUser?: number;
  /** Group id every container runs as. @default 10001 */
  readonly runAsGroup?: number;
  /** Group that owns mounted volumes. @default 10001 */
  readonly fsGroup?: number;
  /** Registries images may come from (`ghcr.io` or `ghcr.io/acme`). @default any registry */
  readonly allowedRegistries?: readonly string[];
  /** PriorityClass of the pods, so critical workloads are scheduled (and evicted) in the right order. @default none */
  readonly priorityClassName?: string;
  /**
   * Annotations on the pods (e.g. `prometheus.io/scrape`), merged with bulwark's own; keys of `bulwark.dev` and
   * its subdomains are bulwark's and cannot be set. @default none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Seconds a pod gets between SIGTERM and SIGKILL to finish its work. @default Kubernetes' 30 */
  readonly terminationGracePeriodSeconds?: number;
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
const API_TOKEN_VOLUME = {
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

function validateImage(
  scope: IConstruct,
  prop: string,
  image: string,
  registries: readonly string[] | undefined,
  exempt: ReadonlyMap<string, string>,
): string {
  const fixPin = `pin the image by digest, e.g. "ghcr.io/acme/api@sha256:<64 hex>" (docker buildx imagetools inspect <image> prints it)`;
  const allowed = 'an image reference pinned by digest: registry/name@sha256:<64 hex>';
  if (typeof image !== 'string') {
    throw propError({ scope, prop, received: image, problem: 'not a string', allowed, fix: fixPin });
  }
  const pinning = imagePinning(image);
  if (pinning.status === 'missing') {
    throw propError({ scope, prop, received: image, problem: 'empty image', allowed, fix: fixPin });
  }
  if (pinning.status === 'invalid') {
    throw propError({
      scope,
      prop,
      received: image,
      problem: 'not a valid image reference',
      allowed,
      fix: fixPin,
    });
  }
  const { ref } = pinning;
  if (pinning.status === 'latest') {
    throw propError({
      scope,
      prop,
      received: image,
      problem: "the tag ':latest' names no version at all",
      allowed,
      fix: fixPin,
    });
  }
  // A tag the images lock pins is written pinned: what runs is what `bulwark pin` resolved.
  let locked: string | undefined;
  if (pinning.status !== 'pinned' && ref.tag !== undefined) {
    let lockAt: ReturnType<typeof imagesLockAt>;
    try {
      lockAt = imagesLockAt(scope);
    } catch (e) {
      if (!(e instanceof ImagesLockError)) throw e;
      throw propError({ scope, prop, received: image, problem: e.message, allowed, fix: fixPin });
    }
    locked = lockAt.lock && lockedImage(lockAt.lock, image)?.digest;
    if (!locked && !exempt.has('image-digest')) {
      throw propError({
        scope,
        prop,
        received: image,
        problem: `the tag ':${ref.tag}' is mutable, and ${lockAt.lock ? `the images lock ${lockAt.file} has no entry for it` : `no images lock pins it (${lockAt.file} does not exist)`}`,
        allowed: `${allowed}, or a tag the images lock pins`,
        fix: `${fixPin}, or record the tag's digest with 'bulwark pin ${image}', or add the exemption { rule: 'image-digest', reason: '<why this image cannot be pinned>' }`,
      });
    }
  } else if (pinning.status !== 'pinned' && !exempt.has('image-digest')) {
    throw propError({
      scope,
      prop,
      received: image,
      problem: 'no digest, and no tag, which means :latest',
      allowed,
      fix: `${fixPin}, or add the exemption { rule: 'image-digest', reason: '<why this image cannot be pinned>' }`,
    });
  }
  if (
    registries &&
    registries.length > 0 &&
    !isFromAllowedRegistry(image, registries) &&
    !exempt.has('image-registry')
  ) {
    throw propError({
      scope,
      prop,
      received: image,
      problem: `registry '${ref.registry}' is not in allowedRegistries`,
      allowed: `images from ${registries.map((r) => `'${r}'`).join(', ')}`,
      fix: `mirror the image into an allowed registry, or add the exemption { rule: 'image-registry', reason: '<why>' }`,
    });
  }
  return locked ? `${image}@${locked}` : image;
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

/** A pod as built: its template, and the ports its main container and sidecars listen on. */
export interface HardenedPod {
  readonly template: PodTemplateSpec;
  readonly ports: readonly ResolvedPort[];
}

/**
 * Builds the pod template every hardened workload shares: the one place where the restricted Pod Security Standard,
 * the NSA/CISA guide and the CIS pod controls are put into a pod spec, for every container of the pod.
 */
export function buildHardenedPodTemplate(
  scope: IConstruct,
  props: HardenedPodProps,
  ctx: HardenedPodContext,
): PodTemplateSpec {
  return buildHardenedPod(scope, props, ctx).template;
}

/** buildHardenedPodTemplate, also returning the pod's ports. */
export function buildHardenedPod(scope: IConstruct, props: HardenedPodProps, ctx: HardenedPodContext): HardenedPod {
  const ids = resolveIds(scope, props);
  const volumes = new PodVolumes();
  const podPorts = new Map<string, string>();
  const names = new Map<string, string>([[ctx.containerName, 'the main container']]);
  const build = (role: ContainerRole, p: (prop: string) => string, spec: ContainerOptions, name: string) =>
    buildHardenedContainer(scope, p, spec, {
      role,
      name,
      image: validateImage(scope, p('image'), spec.image, props.allowedRegistries, ctx.exemptions),
      namespace: ctx.namespace,
      ...ids,
      volumes,
      podPorts,
      requiresProbes: ctx.requiresProbes && !ctx.exemptions.has('workload-probes'),
      extraVolumeMounts: ctx.extraVolumeMounts,
      reservedMountPaths:
        role === 'main' && ctx.mountServiceAccountToken
          ? new Map([[API_TOKEN_PATH, "the service account's API token"]])
          : undefined,
    });

  const main = build('main', (prop) => prop, props, ctx.containerName);
  // Native sidecars start first (an init container may need the proxy they run), then the init containers in order.
  const sidecars = extraContainers(scope, 'sidecars', props.sidecars, names).map(([p, spec]) =>
    build('sidecar', p, spec, spec.name),
  );
  const inits = extraContainers(scope, 'initContainers', props.initContainers, names).map(([p, spec]) =>
    build('init', p, spec, spec.name),
  );
  if (ctx.mountServiceAccountToken) mountApiToken(main.container, volumes);

  const spec: PodSpec = {
    // CIS 5.1.5/5.1.6: a dedicated service account, and no automounted token (see mountApiToken).
    serviceAccountName: ctx.serviceAccountName,
    automountServiceAccountToken: false,
    // Service discovery through DNS only: no environment variables leaking every Service in the namespace.
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: ids.runAsUser,
      runAsGroup: ids.runAsGroup,
      fsGroup: ids.fsGroup,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(sidecars.length || inits.length
      ? {
          initContainers: [
            // restartPolicy Always makes an init container a native sidecar (KEP-753).
            ...sidecars.map((c) => ({ ...c.container, restartPolicy: 'Always' })),
            ...inits.map((c) => c.container),
          ],
        }
      : {}),
    containers: [main.container],
    ...(volumes.size ? { volumes: volumes.list() } : {}),
    ...priorityClass(scope, props.priorityClassName),
    ...terminationGrace(scope, props.terminationGracePeriodSeconds),
    ...resolvePlacement(scope, props),
    ...ctx.extraSpec,
  };
  const annotations = podAnnotations(scope, props.podAnnotations, ctx.podAnnotations);
  return {
    template: {
      metadata: { labels: ctx.podLabels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec,
    },
    ports: [...main.ports, ...sidecars.flatMap((c) => c.ports)],
  };
}

/** The pod's user, group and fsGroup: non-root ids, the same for every container. */
function resolveIds(scope: IConstruct, props: HardenedPodProps) {
  const idFix = `use a non-root id ≥ ${MIN_USER_ID}; the default ${DEFAULT_USER_ID} avoids clashing with host users`;
  const id = (prop: 'runAsUser' | 'runAsGroup' | 'fsGroup') =>
    requireIntegerAtLeast(scope, prop, props[prop] ?? DEFAULT_USER_ID, MIN_USER_ID, idFix, MAX_USER_ID);
  return { runAsUser: id('runAsUser'), runAsGroup: id('runAsGroup'), fsGroup: id('fsGroup') };
}

/** Checks the init containers or sidecars list: named, each name once in the pod. */
function extraContainers(
  scope: IConstruct,
  prop: 'initContainers' | 'sidecars',
  list: readonly ContainerSpec[] | undefined,
  names: Map<string, string>,
): [(p: string) => string, ContainerSpec][] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw propError({
      scope,
      prop,
      received: list,
      allowed: 'a list of ContainerSpec ({ name, image, ... })',
      fix: `e.g. ${prop}: [{ name: 'proxy', image: '<image@sha256:...>' }]`,
    });
  }
  return list.map((spec, i) => {
    const at = `${prop}[${i}]`;
    requireDnsLabel(scope, `${at}.name`, spec?.name);
    const first = names.get(spec.name);
    if (first !== undefined) {
      throw propError({
        scope,
        prop: `${at}.name`,
        received: spec.name,
        problem: `also the name of ${first}`,
        allowed: 'a container name unique in the pod',
        fix: 'rename the container',
      });
    }
    names.set(spec.name, at);
    return [(p: string) => `${at}.${p}`, spec];
  });
}

/**
 * Only a workload whose account has API rules gets a token, and then an explicit one in its main container only:
 * bound to the pod, valid for an hour (the kubelet rotates it), read-only, where client libraries look for it.
 */
function mountApiToken(container: Container, volumes: PodVolumes): void {
  volumes.addFixed(API_TOKEN_VOLUME);
  const mount: VolumeMount = { name: API_TOKEN_VOLUME.name, mountPath: API_TOKEN_PATH, readOnly: true };
  container.volumeMounts = [...(container.volumeMounts ?? []), mount];
}

function priorityClass(scope: IConstruct, name: string | undefined): Partial<PodSpec> {
  if (name === undefined || name === '') return {};
  if (!isDns1123Label(name)) {
    throw propError({
      scope,
      prop: 'priorityClassName',
      received: name,
      allowed: 'the name of a PriorityClass (a DNS-1123 name)',
      fix: 'name an existing PriorityClass, e.g. "business-critical"',
    });
  }
  if (name.startsWith('system-')) {
    throw propError({
      scope,
      prop: 'priorityClassName',
      received: name,
      problem: 'a system priority lets the pods preempt and outlive node and cluster components',
      allowed: "a PriorityClass of your own (names starting with 'system-' are Kubernetes')",
      fix: `create a PriorityClass for the workload's tier, e.g. "business-critical"`,
    });
  }
  return { priorityClassName: name };
}

function terminationGrace(scope: IConstruct, seconds: number | undefined): Partial<PodSpec> {
  if (seconds === undefined) return {};
  const s = requireIntegerAtLeast(
    scope,
    'terminationGracePeriodSeconds',
    seconds,
    1,
    'give the pod time to drain, e.g. 30 (0 kills it without a chance to finish)',
    86400,
  );
  return { terminationGracePeriodSeconds: s };
}

const ANNOTATION_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const ANNOTATION_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The pod's annotations: the team's, then bulwark's (exemptions), which no team key may replace. */
function podAnnotations(
  scope: IConstruct,
  given: Readonly<Record<string, string>> | undefined,
  own: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(given ?? {})) {
    const prop = `podAnnotations['${key}']`;
    const slash = key.lastIndexOf('/');
    const prefix = slash < 0 ? undefined : key.slice(0, slash);
    const name = slash < 0 ? key : key.slice(slash + 1);
    if (
      !ANNOTATION_NAME.test(name) ||
      (prefix !== undefined && (prefix.length > 253 || !ANNOTATION_PREFIX.test(prefix)))
    ) {
      throw propError({
        scope,
        prop,
        received: key,
        allowed: 'an annotation key: an optional DNS prefix and /, then a name of at most 63 characters',
        fix: "e.g. 'prometheus.io/scrape'",
      });
    }
    if (prefix !== undefined && (prefix === 'bulwark.dev' || prefix.endsWith('.bulwark.dev'))) {
      throw propError({
        scope,
        prop,
        received: key,
        problem: 'keys of bulwark.dev are written by bulwark (exemptions, grants) and cannot be set or replaced',
        allowed: 'an annotation outside bulwark.dev',
        fix: key.startsWith('exempt.bulwark.dev/')
          ? 'request the exemption with exemptions: [{ rule, reason }]'
          : 'use your own prefix',
      });
    }
    if (typeof value !== 'string') {
      throw propError({ scope, prop, received: value, allowed: 'a string', fix: "quote the value, e.g. 'true'" });
    }
    out[key] = value;
  }
  const merged = Object.assign({}, out, own);
  const size = annotationsSize(merged);
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    throw propError({
      scope,
      prop: 'podAnnotations',
      received: `${Object.keys(out).length} annotation${Object.keys(out).length === 1 ? '' : 's'}`,
      problem: `${size} bytes of keys and values${Object.keys(own).length ? ", with bulwark's exemption annotations" : ''}`,
      allowed: `at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes (256 KiB) of annotations on a pod, the API server's limit`,
      fix: 'keep annotations short; put data in a HardenedConfigMap and mount it with configFiles',
    });
  }
  return merged;
}
