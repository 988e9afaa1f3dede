import { Document, isSeq, YAMLSeq } from 'yaml';
import { GRANT_API_VERSION, parseExpires } from './exemption-grants';
import {
  EXEMPTION_ANNOTATION_PREFIX,
  EXEMPTION_EXPIRES_ANNOTATION_PREFIX,
  exemptionRequestsOf,
} from './exemption-annotations';
import { formatObjectRef, K8sObject, objectRef } from '../k8s/k8s-object';
import { podViewOf } from '../k8s/pod-template';

/**
 * The grant requests of an app: one per exemption annotation of its objects, shaped like a grant without `approver`
 * (the platform team adds it, and `expires` when the app asks for none), for the platform team to review and apply.
 */
export interface GrantRequest {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly rule: string;
  readonly reason: string;
  /** The expiry the app asks for (annotation `expires.exempt.bulwark.dev/<rule>`), when it asks for one. */
  readonly expires?: string;
  /** `Deployment shop/api`, for the reviewer. */
  readonly object: string;
}

export const GRANT_REQUEST_KIND = 'ExemptionGrantRequests';

/**
 * The grant requests of these objects, sorted by namespace, name, rule. Problems (an invalid reason, an expiry that is
 * malformed or already past, an object without namespace) are returned as sentences: synthesis must refuse them.
 */
export function grantRequestsOf(
  objects: readonly K8sObject[],
  now: Date,
): { requests: GrantRequest[]; problems: string[] } {
  const requests: GrantRequest[] = [];
  const problems: string[] = [];
  for (const object of objects) {
    const pod = podViewOf(object);
    const asked = exemptionRequestsOf(object, pod?.metadata);
    if (asked.size === 0) continue;
    const ref = formatObjectRef(objectRef(object));
    const expiries = new Map<string, string>();
    for (const annotations of [object.metadata?.annotations, pod?.metadata.annotations]) {
      for (const [key, value] of Object.entries(annotations ?? {})) {
        if (key.startsWith(EXEMPTION_EXPIRES_ANNOTATION_PREFIX)) {
          expiries.set(key.slice(EXEMPTION_EXPIRES_ANNOTATION_PREFIX.length), String(value));
        }
      }
    }
    const namespace = object.metadata?.namespace;
    const name = object.metadata?.name;
    for (const [rule, request] of asked) {
      if (request.problem !== undefined) {
        problems.push(`${ref}: annotation ${EXEMPTION_ANNOTATION_PREFIX}${rule}: ${request.problem}`);
        continue;
      }
      if (!namespace || !name) {
        problems.push(`${ref}: asks for an exemption from ${rule} but names no namespace; grants are per namespace`);
        continue;
      }
      const expires = expiries.get(rule);
      if (expires !== undefined) {
        const at = parseExpires(expires);
        if (!at || at.getTime() <= now.getTime()) {
          problems.push(
            `${ref}: annotation ${EXEMPTION_EXPIRES_ANNOTATION_PREFIX}${rule}: ${JSON.stringify(expires)} ` +
              (at ? 'is already past' : 'is not an RFC 3339 date-time with whole seconds'),
          );
          continue;
        }
      }
      requests.push({
        namespace,
        kind: object.kind,
        name,
        rule,
        reason: request.reason.trim(),
        ...(expires ? { expires } : {}),
        object: ref,
      });
    }
  }
  const key = (r: GrantRequest) => [r.namespace, r.kind, r.name, r.rule];
  requests.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    const i = ka.findIndex((v, j) => v !== kb[j]);
    return i < 0 ? 0 : ka[i] < kb[i] ? -1 : 1;
  });
  return { requests, problems };
}

/**
 * The grant requests document: YAML, one entry per request with the object it is for as a comment. It is not a
 * Kubernetes object (no metadata): `kubectl apply` refuses it, so nobody applies requests as grants by accident.
 */
export function formatGrantRequests(requests: readonly GrantRequest[]): string {
  const doc = new Document({
    apiVersion: GRANT_API_VERSION,
    kind: GRANT_REQUEST_KIND,
    requests: requests.map(({ object: _object, ...entry }) => entry),
  });
  doc.commentBefore =
    ' Exemption grant requests of this app, written by bulwark synth. A request is not a grant: an exemption counts\n' +
    ' only when the platform team grants it (docs/exemptions.md). To grant one, review it, add approver (and expires\n' +
    ' when missing) and add it to the grants of the cluster (stack config bulwark:exemptionGrants).';
  const seq = doc.get('requests', true);
  if (isSeq(seq)) {
    (seq as YAMLSeq).items.forEach((item, i) => {
      (item as { commentBefore?: string }).commentBefore = ` ${requests[i].object}`;
    });
  }
  return doc.toString({ lineWidth: 0 });
}
