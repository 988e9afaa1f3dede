/**
 * The API server's limit on an object's annotations (apimachinery ValidateAnnotationsSize): the keys and values
 * together, in bytes, at most 256 KiB.
 */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Bytes the annotations take, as the API server counts them (Go `len` of each key and value: UTF-8 bytes). */
export function annotationsSize(annotations: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    total += Buffer.byteLength(k, 'utf8') + (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0);
  }
  return total;
}
