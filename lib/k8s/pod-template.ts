import { asArray, asRecord, isRecord, K8sMetadata, K8sObject } from './k8s-object';

/** The pod spec inside a Pod or any workload's pod template, with where it sits in the object. */
export interface PodView {
  readonly object: K8sObject;
  /** The pod spec (`spec` of a Pod, `spec.template.spec` of a Deployment, ...). */
  readonly spec: Record<string, unknown>;
  /** The pod's metadata (the Pod's own, or the template's). */
  readonly metadata: K8sMetadata;
  /** Dotted path of the pod spec inside the object, e.g. `spec.template.spec`. */
  readonly specPath: string;
}

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerView {
  readonly container: Record<string, unknown>;
  readonly name: string;
  readonly kind: ContainerKind;
  readonly index: number;
  /** Dotted path of the container inside the object, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
}

/** Kinds whose objects carry a pod template, and where it is. */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export const POD_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PATHS);

/**
 * API groups whose kinds never carry a pod, so the structural search below skips them. CustomResourceDefinitions in
 * particular hold schemas that describe pods (`properties.containers`) in many kilobytes of nesting.
 */
const PODLESS_GROUPS: ReadonlySet<string> = new Set([
  'apiextensions.k8s.io',
  'rbac.authorization.k8s.io',
  'admissionregistration.k8s.io',
  'networking.k8s.io',
  'policy',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'certificates.k8s.io',
  'apiregistration.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'autoscaling',
]);

/** Core (v1) kinds without a pod; every other core kind is either in POD_TEMPLATE_PATHS or searched. */
const PODLESS_CORE_KINDS: ReadonlySet<string> = new Set([
  'ConfigMap',
  'Secret',
  'Service',
  'ServiceAccount',
  'Namespace',
  'Endpoints',
  'LimitRange',
  'ResourceQuota',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Event',
  'Node',
]);

/** Bounds of the structural search: how deep below the object and how many mappings and sequences it looks at. */
export const POD_SEARCH_MAX_DEPTH = 8;
export const POD_SEARCH_MAX_NODES = 2000;

/** `apps` of `apps/v1`, '' for the core group (`v1`). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Whether `value` looks like a pod spec: a `containers` list of mappings, one of them with a string image. */
function isPodSpec(value: Record<string, unknown>): boolean {
  const containers = value.containers;
  return Array.isArray(containers) && containers.some((c) => isRecord(c) && typeof c.image === 'string');
}

function viewAt(
  object: K8sObject,
  spec: Record<string, unknown>,
  holder: Record<string, unknown> | undefined,
  specPath: string,
): PodView {
  return { object, spec, metadata: asRecord(holder?.metadata) as K8sMetadata, specPath };
}

interface SearchEntry {
  readonly value: unknown;
  readonly path: string;
  readonly parent: Record<string, unknown> | undefined;
  readonly depth: number;
}

/**
 * Pod specs found structurally in an object of a kind not in POD_TEMPLATE_PATHS (Argo Rollout, OpenShift
 * DeploymentConfig, Knative Service, KEDA ScaledJob, ...): every mapping with a `containers` list of containers (see
 * isPodSpec), searched breadth first below the object (metadata and status left out) within POD_SEARCH_MAX_DEPTH
 * levels and POD_SEARCH_MAX_NODES mappings and sequences queued; the search does not descend into a pod spec it found.
 * The pod's metadata is that of the mapping holding the spec (`template.metadata` beside `template.spec`).
 */
function searchPodSpecs(object: K8sObject): PodView[] {
  const out: PodView[] = [];
  const queue: SearchEntry[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === 'metadata' || key === 'status' || typeof value !== 'object' || value === null) continue;
    queue.push({ value, path: key, parent: object, depth: 1 });
  }
  let visited = 0;
  for (let i = 0; i < queue.length && visited < POD_SEARCH_MAX_NODES; i++) {
    const { value, path, parent, depth } = queue[i];
    visited++;
    if (Array.isArray(value)) {
      if (depth >= POD_SEARCH_MAX_DEPTH) continue;
      for (let k = 0; k < value.length && queue.length < POD_SEARCH_MAX_NODES; k++) {
        const v: unknown = value[k];
        if (typeof v === 'object' && v !== null) {
          queue.push({ value: v, path: `${path}[${k}]`, parent: undefined, depth: depth + 1 });
        }
      }
      continue;
    }
    if (!isRecord(value)) continue;
    if (isPodSpec(value)) {
      out.push(viewAt(object, value, parent, path));
      continue;
    }
    if (depth >= POD_SEARCH_MAX_DEPTH) continue;
    for (const key in value) {
      if (queue.length >= POD_SEARCH_MAX_NODES) break;
      const v = value[key];
      if (typeof v === 'object' && v !== null && Object.hasOwn(value, key)) {
        queue.push({ value: v, path: `${path}.${key}`, parent: value, depth: depth + 1 });
      }
    }
  }
  return out;
}

/**
 * Every pod spec an object carries: the one of a Pod or built-in workload's template (POD_TEMPLATE_PATHS), else for
 * any other kind those found structurally (see searchPodSpecs), so custom workloads that run pods are audited too.
 */
export function podViewsOf(object: K8sObject): readonly PodView[] {
  const group = apiGroupOf(object.apiVersion);
  if (Object.hasOwn(POD_TEMPLATE_PATHS, object.kind) && !group.includes('.')) {
    const view = podViewOf(object);
    return view ? [view] : [];
  }
  if (PODLESS_GROUPS.has(group) || (group === '' && PODLESS_CORE_KINDS.has(object.kind))) return [];
  return searchPodSpecs(object);
}

/** The pod spec of a Pod or of a workload's template; undefined for any other kind or a template without spec. */
export function podViewOf(object: K8sObject): PodView | undefined {
  if (!Object.hasOwn(POD_TEMPLATE_PATHS, object.kind)) return undefined;
  const path = POD_TEMPLATE_PATHS[object.kind];
  let holder: unknown = object;
  for (const key of path) {
    if (!isRecord(holder)) return undefined;
    holder = holder[key];
  }
  if (!isRecord(holder) || !isRecord(holder.spec)) return undefined;
  const prefix = path.length ? `${path.join('.')}.` : '';
  return viewAt(object, holder.spec, holder, `${prefix}spec`);
}

const CONTAINER_KINDS: readonly ContainerKind[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** Every container of the pod: regular, init and ephemeral, in that order. */
export function containersOf(pod: PodView): ContainerView[] {
  const out: ContainerView[] = [];
  for (const kind of CONTAINER_KINDS) {
    asArray(pod.spec[kind]).forEach((c, index) => {
      if (!isRecord(c)) return;
      out.push({
        container: c,
        name: typeof c.name === 'string' ? c.name : `${kind}[${index}]`,
        kind,
        index,
        path: `${pod.specPath}.${kind}[${index}]`,
      });
    });
  }
  return out;
}
