import { K8sObject } from '../k8s/k8s-object';

/**
 * Exemptions are the only way out of a rule: `{ rule, reason }`. Constructs write each one onto the object (and its
 * pod template) as the annotation `exempt.bulwark.dev/<rule-id>: <reason>` so that every enforcement point sees it.
 */
export const EXEMPTION_ANNOTATION_PREFIX = 'exempt.bulwark.dev/';

export interface Exemption {
  /** Id of the catalog rule being waived, e.g. `image-digest`. */
  readonly rule: string;
  /** Why, in words a reviewer can judge. Required and non-empty. */
  readonly reason: string;
}

export function exemptionAnnotationKey(ruleId: string): string {
  return `${EXEMPTION_ANNOTATION_PREFIX}${ruleId}`;
}

/** Exemptions written on an object's own metadata and, for workloads, on its pod template. */
export function exemptionsOf(
  object: K8sObject,
  podMetadata?: { annotations?: Record<string, string> },
): Map<string, string> {
  const out = new Map<string, string>();
  for (const annotations of [object.metadata?.annotations, podMetadata?.annotations]) {
    if (!annotations) continue;
    for (const [key, value] of Object.entries(annotations)) {
      if (key.startsWith(EXEMPTION_ANNOTATION_PREFIX) && typeof value === 'string' && value.trim() !== '') {
        out.set(key.slice(EXEMPTION_ANNOTATION_PREFIX.length), value);
      }
    }
  }
  return out;
}
