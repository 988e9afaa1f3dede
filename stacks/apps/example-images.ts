/**
 * A stable stand-in digest per image, so the examples are realistic and deterministic without network access.
 * A real project pins real digests (bulwark.images.lock, `bulwark pin`).
 */
export function exampleDigest(seed: string): string {
  let h = 0x811c9dc5;
  let out = '';
  while (out.length < 64) {
    for (const ch of `${seed}${out.length}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `sha256:${out.slice(0, 64)}`;
}
