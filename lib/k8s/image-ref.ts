/** A container image reference split into its parts (`registry/repository[:tag][@digest]`). */
export interface ImageRef {
  /** Registry host (with port), `docker.io` when the reference names none. */
  readonly registry: string;
  /** Repository path, e.g. `library/nginx` or `acme/api`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>` when the image is pinned. */
  readonly digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** Parses an image reference the way container runtimes do; undefined when it is malformed. */
export function parseImageRef(ref: string): ImageRef | undefined {
  if (ref.length === 0 || ref.trim() !== ref) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift() as string;
  }
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  return {
    registry,
    repository: parts.join('/'),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** True when the reference carries a sha256 digest, so the bytes that run are the bytes that were reviewed. */
export function isPinnedByDigest(ref: string): boolean {
  return parseImageRef(ref)?.digest !== undefined;
}

/**
 * True when the image comes from one of the allowed registries. An entry is a registry host (`ghcr.io`) or a
 * host/path prefix (`ghcr.io/acme`); it matches whole path components only.
 */
export function isFromAllowedRegistry(ref: string, allowed: readonly string[]): boolean {
  const parsed = parseImageRef(ref);
  if (!parsed) return false;
  const full = `${parsed.registry}/${parsed.repository}`;
  return allowed.some((a) => {
    const prefix = a.replace(/\/+$/, '');
    return full === prefix || full.startsWith(`${prefix}/`);
  });
}
