import { IConstruct } from 'constructs';
import { isRecord, K8sObject } from '../k8s/k8s-object';
import { POD_TEMPLATE_PATHS } from '../k8s/pod-template';
import { EXEMPTION_ANNOTATION_PREFIX, EXEMPTION_EXPIRES_ANNOTATION_PREFIX } from '../policy/exemption-annotations';

/**
 * The exemption annotations (`exempt.bulwark.dev/*` and their `expires.exempt.bulwark.dev/*`) a construct wrote on
 * its objects: the primary object ('Resource') and its pod template, and any other child that carries them (the Role
 * of a LeastPrivilegeServiceAccount). Synth compares them with what is rendered: an escape hatch (a JsonPatch
 * replacing `metadata.annotations`, an `addAnnotation`) that removes, changes or adds one fails synthesis. Admission
 * judges Pods, which carry only the template's annotations: a template that lost its exemption passes synth and audit
 * (they also read the workload's own annotations) and is denied in the cluster. On a Role, an added annotation
 * exempts rules the construct refused, and a removed one makes the audit fail where synth passed.
 */
const DECLARED = new WeakMap<IConstruct, Map<string, Readonly<Record<string, string>>>>();

/**
 * Records the exemption annotations `owner`'s child `childId` (default 'Resource', and its pod template, if any) must
 * carry.
 */
export function declareExemptionAnnotations(
  owner: IConstruct,
  annotations: Readonly<Record<string, string>>,
  childId = 'Resource',
): void {
  const children = DECLARED.get(owner) ?? new Map<string, Readonly<Record<string, string>>>();
  children.set(childId, { ...annotations });
  DECLARED.set(owner, children);
}

const isExemptionKey = (k: string) =>
  k.startsWith(EXEMPTION_ANNOTATION_PREFIX) || k.startsWith(EXEMPTION_EXPIRES_ANNOTATION_PREFIX);

function exemptKeys(annotations: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isRecord(annotations)) return out;
  for (const [k, v] of Object.entries(annotations)) if (isExemptionKey(k)) out.set(k, v);
  return out;
}

function differences(where: string, expected: Readonly<Record<string, string>>, found: Map<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (!found.has(key)) out.push(`${where} lacks ${key} (expected ${JSON.stringify(value)})`);
    else if (found.get(key) !== value)
      out.push(`${where} has ${key}: ${JSON.stringify(found.get(key))} (expected ${JSON.stringify(value)})`);
  }
  for (const [key, value] of found) {
    if (!(key in expected))
      out.push(`${where} has ${key}: ${JSON.stringify(value)}, which the construct did not grant`);
  }
  return out;
}

/**
 * What differs between the exemption annotations `owner` declared for its child `childId` and those of that child's
 * rendered object: one line per annotation removed, changed or added, on the object and on its pod template. Empty
 * when they agree or when `owner` declared none for that child (it is not a bulwark construct's object).
 */
export function exemptionAnnotationDrift(owner: IConstruct | undefined, childId: string, object: K8sObject): string[] {
  const expected = owner && DECLARED.get(owner)?.get(childId);
  if (!expected) return [];
  const out = differences('metadata.annotations', expected, exemptKeys(object.metadata?.annotations));
  const path = POD_TEMPLATE_PATHS[object.kind];
  if (path && path.length > 0) {
    let holder: unknown = object;
    for (const key of path) holder = isRecord(holder) ? holder[key] : undefined;
    const metadata = isRecord(holder) ? holder.metadata : undefined;
    const at = `${path.join('.')}.metadata.annotations`;
    out.push(...differences(at, expected, exemptKeys(isRecord(metadata) ? metadata.annotations : undefined)));
  }
  return out;
}
