/**
 * The minimal shape of a Kubernetes object as read from a manifest or synthesized by cdk8s.
 * Rules read fields defensively: audited input is untrusted and may be partial.
 */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: K8sMetadata;
  readonly [field: string]: unknown;
}

export interface K8sMetadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly [field: string]: unknown;
}

/** How a finding names the object it is about. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** A name as text whatever the input held: a string as is, anything else as JSON (never `[object Object]`). */
function nameText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 60)}...` : json;
}

export function objectRef(obj: K8sObject): ObjectRef {
  const metadata = isRecord(obj.metadata) ? obj.metadata : undefined;
  const ref: { apiVersion: string; kind: string; namespace?: string; name: string } = {
    apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : String(nameText(obj.apiVersion)),
    kind: typeof obj.kind === 'string' ? obj.kind : String(nameText(obj.kind)),
    name: nameText(metadata?.name) ?? '<unnamed>',
  };
  const namespace = nameText(metadata?.namespace);
  if (namespace) ref.namespace = namespace;
  return ref;
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects), the way people write it in a ticket. */
export function formatObjectRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray<T = unknown>(value: unknown): readonly T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
