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

/** The pod spec of a Pod or of a workload's template; undefined for any other kind or a template without spec. */
export function podViewOf(object: K8sObject): PodView | undefined {
  const path = POD_TEMPLATE_PATHS[object.kind];
  if (!path) return undefined;
  let holder: unknown = object;
  for (const key of path) {
    if (!isRecord(holder)) return undefined;
    holder = holder[key];
  }
  if (!isRecord(holder) || !isRecord(holder.spec)) return undefined;
  const prefix = path.length ? `${path.join('.')}.` : '';
  return {
    object,
    spec: holder.spec,
    metadata: asRecord(holder.metadata) as K8sMetadata,
    specPath: `${prefix}spec`,
  };
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
