import { PodView } from './pod-template';

/** The namespace a pod runs in: its object's namespace, `default` when the manifest names none. */
export function podNamespace(pod: PodView): string {
  return pod.object.metadata?.namespace || 'default';
}
