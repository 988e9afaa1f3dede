import { ImageRef, parseImageRef } from './image-ref';
import { byCodePoint } from '../util/by-code-point';

/**
 * The images lock (`bulwark.images.lock`): which digest each `repository:tag` resolved to when `bulwark pin` asked the
 * registry, so that constructs write `repo:tag@sha256:…` and what runs is what was resolved, reviewed and scanned.
 * Like a package lock: JSON, one entry per image, keys sorted, committed and reviewed in diffs.
 *
 * The digest is the sha256 of the manifest bytes the registry returned, computed by `bulwark pin` (a registry's
 * Docker-Content-Digest header that disagrees is refused). For a multi-platform image it is the digest of the index,
 * so every node pulls its own platform's image through the one pinned index; `platforms` lists them.
 */
export const IMAGES_LOCK_FILE = 'bulwark.images.lock';
export const IMAGES_LOCK_VERSION = 1;
/** A lock larger than this is refused unread (a real one holds a few hundred entries of ~300 bytes). */
export const IMAGES_LOCK_MAX_BYTES = 8 * 1024 * 1024;

/** Manifest media types a lock entry may record: OCI and Docker, single image or multi-platform index. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;
export type ManifestMediaType = (typeof MANIFEST_MEDIA_TYPES)[number];

export interface LockedImage {
  /** `sha256:<64 hex>` of the manifest (or index) bytes. */
  readonly digest: string;
  readonly mediaType: ManifestMediaType;
  /** `os/architecture[/variant]` the image runs on (every entry of an index). */
  readonly platforms: readonly string[];
}

export interface ImagesLock {
  /** Entries by canonical `registry/repository:tag`. */
  readonly images: Readonly<Record<string, LockedImage>>;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** The lock key of a tagged reference: `registry/repository:tag` (`nginx:1.27` is `docker.io/library/nginx:1.27`). */
export function lockKey(ref: ImageRef): string | undefined {
  return ref.tag === undefined ? undefined : `${ref.registry}/${ref.repository}:${ref.tag}`;
}

/** Why a lock file's content is refused: the file, the JSON path and the problem. */
export class ImagesLockError extends Error {
  constructor(file: string, where: string, problem: string) {
    super(
      `images lock ${file}${where ? ` at ${where}` : ''}: ${problem}. Fix: regenerate the entry with 'bulwark pin <image>' (never edit digests by hand)`,
    );
    this.name = 'ImagesLockError';
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads a lock's text, refusing anything but exactly the format `bulwark pin` writes. */
export function parseImagesLock(text: string, file: string): ImagesLock {
  if (Buffer.byteLength(text) > IMAGES_LOCK_MAX_BYTES) {
    throw new ImagesLockError(file, '', `larger than ${IMAGES_LOCK_MAX_BYTES} bytes`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ImagesLockError(file, '', `not JSON (${(e as Error).message})`);
  }
  if (!isRecord(doc)) throw new ImagesLockError(file, '', 'not a JSON object');
  if (doc.lockfileVersion !== IMAGES_LOCK_VERSION) {
    throw new ImagesLockError(
      file,
      'lockfileVersion',
      `received ${JSON.stringify(doc.lockfileVersion)}, this bulwark reads version ${IMAGES_LOCK_VERSION}`,
    );
  }
  const unknown = Object.keys(doc).filter((k) => k !== 'lockfileVersion' && k !== 'images');
  if (unknown.length) throw new ImagesLockError(file, unknown[0], 'unknown field');
  if (!isRecord(doc.images)) throw new ImagesLockError(file, 'images', 'not an object');
  const images: Record<string, LockedImage> = Object.create(null);
  for (const [key, entry] of Object.entries(doc.images)) {
    const where = `images[${JSON.stringify(key)}]`;
    const ref = parseImageRef(key);
    if (!ref || ref.digest !== undefined || lockKey(ref) !== key) {
      throw new ImagesLockError(file, where, 'the key is not a canonical registry/repository:tag');
    }
    if (!isRecord(entry)) throw new ImagesLockError(file, where, 'not an object');
    const { digest, mediaType, platforms } = entry;
    if (typeof digest !== 'string' || !DIGEST.test(digest)) {
      throw new ImagesLockError(file, `${where}.digest`, `received ${JSON.stringify(digest)}, not sha256:<64 hex>`);
    }
    if (typeof mediaType !== 'string' || !(MANIFEST_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
      throw new ImagesLockError(
        file,
        `${where}.mediaType`,
        `received ${JSON.stringify(mediaType)}, not a manifest type`,
      );
    }
    if (!Array.isArray(platforms) || !platforms.every((p) => typeof p === 'string' && PLATFORM.test(p))) {
      throw new ImagesLockError(file, `${where}.platforms`, 'not a list of os/architecture[/variant]');
    }
    const extra = Object.keys(entry).filter((k) => !['digest', 'mediaType', 'platforms'].includes(k));
    if (extra.length) throw new ImagesLockError(file, `${where}.${extra[0]}`, 'unknown field');
    images[key] = { digest, mediaType: mediaType as ManifestMediaType, platforms: [...platforms] as string[] };
  }
  return { images };
}

/** The lock's text as `bulwark pin` writes it: keys in code-point order, two-space JSON, a final newline. */
export function serializeImagesLock(lock: ImagesLock): string {
  const images: Record<string, LockedImage> = {};
  for (const key of Object.keys(lock.images).sort(byCodePoint)) {
    const e = lock.images[key];
    images[key] = { digest: e.digest, mediaType: e.mediaType, platforms: [...e.platforms] };
  }
  return `${JSON.stringify({ lockfileVersion: IMAGES_LOCK_VERSION, images }, null, 2)}\n`;
}

/** The locked entry of a tagged image reference without digest, if the lock has it. */
export function lockedImage(lock: ImagesLock, image: string): LockedImage | undefined {
  const ref = parseImageRef(image);
  if (!ref || ref.digest !== undefined) return undefined;
  const key = lockKey(ref);
  return key === undefined ? undefined : lock.images[key];
}
