import { reasonProblem } from './exemption-reason';
import { K8sObject } from '../k8s/k8s-object';

/**
 * Exemptions are the only way out of a rule: `{ rule, reason }`. Constructs write each one onto the object (and its
 * pod template) as the annotation `exempt.bulwark.dev/<rule-id>: <reason>` so that every enforcement point sees it.
 */
export const EXEMPTION_ANNOTATION_PREFIX = 'exempt.bulwark.dev/';

export interface Exemption {
  /** Id of the catalog rule being waived, e.g. `image-digest`. */
  readonly rule: string;
  /** Why, in words a reviewer can judge: visible text, at most 500 characters (exemption-reason.ts). */
  readonly reason: string;
  /**
   * Until when the exemption is asked for (RFC 3339 with whole seconds, e.g. `2027-01-31T00:00:00Z`); written into
   * the grant request `bulwark synth` writes. Must be in the future. @default the platform team decides
   */
  readonly expires?: string;
}

export function exemptionAnnotationKey(ruleId: string): string {
  return `${EXEMPTION_ANNOTATION_PREFIX}${ruleId}`;
}

/** Annotations `expires.exempt.bulwark.dev/<rule-id>: <RFC 3339>` carry the expiry an exemption request asks for. */
export const EXEMPTION_EXPIRES_ANNOTATION_PREFIX = 'expires.exempt.bulwark.dev/';

export function exemptionExpiresAnnotationKey(ruleId: string): string {
  return `${EXEMPTION_EXPIRES_ANNOTATION_PREFIX}${ruleId}`;
}

/** An exemption annotation as written: its reason, and why it does not count as a request when it does not. */
export interface ExemptionRequest {
  readonly reason: string;
  /** Set when the reason is not acceptable (no visible text, too long): the annotation asks for nothing. */
  readonly problem?: string;
}

/**
 * Exemption annotations on an object's own metadata and, for workloads, on its pod template, by rule id. When both
 * carry one for a rule, an acceptable reason wins (as the admission policies read either).
 */
export function exemptionRequestsOf(
  object: K8sObject,
  podMetadata?: { annotations?: Record<string, string> },
): Map<string, ExemptionRequest> {
  const out = new Map<string, ExemptionRequest>();
  for (const annotations of [object.metadata?.annotations, podMetadata?.annotations]) {
    if (!annotations) continue;
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(EXEMPTION_ANNOTATION_PREFIX)) continue;
      const rule = key.slice(EXEMPTION_ANNOTATION_PREFIX.length);
      const problem = reasonProblem(value);
      const request = { reason: typeof value === 'string' ? value : String(value), ...(problem ? { problem } : {}) };
      const before = out.get(rule);
      if (!before || before.problem !== undefined) out.set(rule, request);
    }
  }
  return out;
}

/** Exemptions with an acceptable reason written on an object's own metadata and, for workloads, its pod template. */
export function exemptionsOf(
  object: K8sObject,
  podMetadata?: { annotations?: Record<string, string> },
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [rule, r] of exemptionRequestsOf(object, podMetadata))
    if (r.problem === undefined) out.set(rule, r.reason);
  return out;
}
