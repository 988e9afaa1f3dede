import type { Variable } from 'kubernetes-types/admissionregistration/v1';
import { celString } from './cel-literal';

/**
 * The CEL side of lib/k8s/pod-template.ts: where the pod is inside each kind the policies match, as policy
 * variables, so that every rule's expression reads `variables.podSpec` whatever the kind.
 */

/** The object (Pod) or pod template (workloads) that holds `metadata` and `spec`, for a given root (object, oldObject). */
export function podTemplateOf(root: string): string {
  return (
    `(${root}.kind == 'Pod' ? ${root} : ` +
    `${root}.kind == 'CronJob' ? ${root}.?spec.?jobTemplate.?spec.?template.orValue({}) : ` +
    `${root}.?spec.?template.orValue({}))`
  );
}

/** Policy variables every translation may use. Order matters: a variable may only use the ones before it. */
export const POD_VARIABLES: readonly Variable[] = [
  { name: 'pod', expression: podTemplateOf('object') },
  { name: 'podMeta', expression: 'variables.pod.?metadata.orValue({})' },
  { name: 'podSpec', expression: 'variables.pod.?spec.orValue({})' },
  {
    name: 'containers',
    expression:
      'variables.podSpec.?containers.orValue([]) + variables.podSpec.?initContainers.orValue([]) + ' +
      'variables.podSpec.?ephemeralContainers.orValue([])',
  },
  {
    name: 'specPath',
    expression:
      "object.kind == 'Pod' ? 'spec' : object.kind == 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec'",
  },
];

/**
 * matchCondition expression: skip UPDATEs that leave the pod spec and the pod's annotations as they were (metadata-only
 * updates such as label or finalizer changes by controllers), as Pod Security admission does, so that a pod admitted
 * before the policy existed can still be updated and deleted. Any change to the spec or annotations (including
 * removing an exemption) is validated again.
 */
export const CHANGED_ON_UPDATE_EXPRESSION =
  "request.operation != 'UPDATE' || oldObject == null || " +
  `${podTemplateOf('object')}.?spec.orValue({}) != ${podTemplateOf('oldObject')}.?spec.orValue({}) || ` +
  `${podTemplateOf('object')}.?metadata.?annotations.orValue({}) != ${podTemplateOf('oldObject')}.?metadata.?annotations.orValue({})`;

/** Containers (regular, init, ephemeral) for which `ok` (over `c`) is false. */
export function containersFailing(ok: string): string {
  return `variables.containers.filter(c, !(${ok}))`;
}

/** `'a', 'b'` — the names of the containers for which `ok` is false, quoted, for messages. */
export function failingContainerNames(ok: string): string {
  return `${containersFailing(ok)}.map(c, "'" + c.?name.orValue('') + "'").join(', ')`;
}

/** A check that every container satisfies `ok`, with a message naming the ones that do not. */
export function everyContainer(ok: string, mustText: string): { expression: string; detail: string } {
  return {
    expression: `variables.containers.all(c, ${ok})`,
    detail: `'container ' + ${failingContainerNames(ok)} + ' ' + ${celString(mustText)}`,
  };
}
