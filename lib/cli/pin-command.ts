import * as fs from 'fs';
import * as path from 'path';
import { parseImageRef } from '../k8s/image-ref';
import {
  IMAGES_LOCK_FILE,
  IMAGES_LOCK_MAX_BYTES,
  ImagesLock,
  ImagesLockError,
  LockedImage,
  lockKey,
  parseImagesLock,
  serializeImagesLock,
} from '../k8s/images-lock';
import { CliIo, Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io';
import { RegistryClient, RegistryError } from './registry-client';

const HELP = `usage: bulwark pin [<image:tag>...] [--lock <file>] [--check] [--platform <os/arch>]... [--timeout <seconds>]

Resolves tags to digests through the registry API (OCI distribution) and records them in the images lock, which the
constructs read: image 'repo:tag' is then written 'repo:tag@sha256:…', and a tag the lock lacks is refused.

  bulwark pin nginx:1.27 ghcr.io/acme/api:1.2.3   add or update these entries
  bulwark pin                                       re-resolve every entry of the lock (tags that moved are updated)
  bulwark pin --check                               re-resolve every entry, write nothing; exit 1 if a tag moved

The digest is the sha256 of the manifest bytes received (a registry whose Docker-Content-Digest disagrees is
refused); for a multi-platform image it is the index digest. The lock is written whole, atomically, only when every
image resolved. Credentials: found as Docker finds them in $DOCKER_CONFIG/config.json or ~/.docker/config.json:
the registry's credHelpers entry, else credsStore (docker-credential-<helper> get is run), else its auths entry
(identitytoken, username/password or auth); anonymous otherwise.

options:
  --lock <file>         the images lock (default: $BULWARK_IMAGES_LOCK, else ${IMAGES_LOCK_FILE})
  --check               verify the lock against the registries; write nothing
  --platform <os/arch>  require this platform (repeatable), e.g. linux/amd64
  --timeout <seconds>   per registry request (default: 30)
  -h, --help            this help
`;

interface PinArgs {
  readonly images: string[];
  readonly lock: string;
  readonly check: boolean;
  readonly platforms: string[];
  readonly timeoutMs: number;
}

function parseArgs(argv: readonly string[]): PinArgs | 'help' {
  const images: string[] = [];
  const platforms: string[] = [];
  let lock = process.env.BULWARK_IMAGES_LOCK ?? IMAGES_LOCK_FILE;
  let check = false;
  let timeoutMs = 30_000;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`option '${a}' needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--lock') lock = value();
    else if (a === '--check') check = true;
    else if (a === '--platform') {
      const p = value();
      if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p)) {
        throw new UsageError(`--platform takes os/architecture[/variant], e.g. linux/amd64; got '${p}'`);
      }
      platforms.push(p);
    } else if (a === '--timeout') {
      const v = value();
      if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new UsageError(`--timeout takes seconds > 0, got '${v}'`);
      timeoutMs = Number(v) * 1000;
    } else if (a.startsWith('-')) {
      throw new UsageError(
        `unknown option '${a}'; allowed: --lock <file>, --check, --platform <os/arch>, --timeout <seconds>, --help`,
      );
    } else images.push(a);
  }
  if (check && images.length > 0) throw new UsageError('--check verifies the whole lock: give no images with it');
  return { images, lock, check, platforms, timeoutMs };
}

function readLock(file: string): ImagesLock | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ImagesLockError(file, '', `unreadable (${(e as Error).message})`);
  }
  if (!stat.isFile()) throw new ImagesLockError(file, '', 'not a regular file');
  if (stat.size > IMAGES_LOCK_MAX_BYTES)
    throw new ImagesLockError(file, '', `larger than ${IMAGES_LOCK_MAX_BYTES} bytes`);
  return parseImagesLock(fs.readFileSync(file, 'utf8'), file);
}

/** Writes the lock whole: a temporary file beside it, then a rename, so a reader never sees half of it. */
function writeLock(file: string, lock: ImagesLock): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, serializeImagesLock(lock), { mode: 0o644 });
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of the results. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** `bulwark pin`: resolve tags to digests into the images lock, or verify it (--check). */
export const pinCommand: Command = async (argv, io: CliIo) => {
  let args: PinArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`bulwark pin: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (args === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const file = path.resolve(io.cwd, args.lock);
  let existing: ImagesLock | undefined;
  try {
    existing = readLock(file);
  } catch (e) {
    if (!(e instanceof ImagesLockError)) throw e;
    io.stderr(`bulwark pin: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const keys: string[] = [];
  for (const image of args.images) {
    const ref = parseImageRef(image);
    const problem = !ref
      ? 'not a valid image reference'
      : ref.digest !== undefined
        ? 'already pinned by digest'
        : ref.tag === undefined || ref.tag === 'latest'
          ? 'no version tag (:latest or none names no version)'
          : undefined;
    if (problem || !ref) {
      io.stderr(`bulwark pin: '${image}': ${problem}; give a tagged reference, e.g. ghcr.io/acme/api:1.2.3\n`);
      return EXIT_USAGE;
    }
    keys.push(lockKey(ref) as string);
  }
  if (keys.length === 0) keys.push(...Object.keys(existing?.images ?? {}));
  if (keys.length === 0) {
    io.stderr(`bulwark pin: nothing to resolve: ${file} has no entries; name the images: bulwark pin <image:tag>...\n`);
    return EXIT_USAGE;
  }
  const unique = [...new Set(keys)];
  const client = new RegistryClient({ timeoutMs: args.timeoutMs });
  const errors: string[] = [];
  const resolved = await pool(unique, 4, async (key) => {
    try {
      const entry = await client.resolve(parseImageRef(key) as NonNullable<ReturnType<typeof parseImageRef>>);
      const missing = args.platforms.filter((p) => !entry.platforms.includes(p));
      if (missing.length) {
        errors.push(
          `${key}: no image for ${missing.join(', ')} (it has ${entry.platforms.join(', ') || 'no platform information'})`,
        );
      }
      return entry;
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      errors.push(`${key}: ${e.message}`);
      return undefined;
    }
  });
  if (errors.length) {
    io.stderr(
      `bulwark pin: ${errors.length} of ${unique.length} images not resolved; ${args.check ? 'nothing verified' : `nothing was written to ${args.lock}`}\n` +
        errors.map((e) => `  ${e}\n`).join(''),
    );
    return EXIT_FINDINGS;
  }
  const images: Record<string, LockedImage> = { ...(existing?.images ?? {}) };
  const lines: string[] = [];
  let moved = 0;
  unique.forEach((key, i) => {
    const entry = resolved[i] as LockedImage;
    const before = existing?.images[key];
    if (!before) lines.push(`  + ${key} ${entry.digest}`);
    else if (before.digest !== entry.digest) {
      moved++;
      lines.push(`  ~ ${key} ${before.digest} -> ${entry.digest} (the tag moved)`);
    } else lines.push(`  = ${key} ${entry.digest}`);
    images[key] = entry;
  });
  if (args.check) {
    io.stdout(lines.join('\n') + '\n');
    if (moved > 0) {
      io.stderr(
        `bulwark pin --check: ${moved} of ${unique.length} tags moved since ${args.lock} was written; review the new images, then run bulwark pin\n`,
      );
      return EXIT_FINDINGS;
    }
    io.stdout(`bulwark pin --check: ${unique.length} images match ${args.lock}\n`);
    return EXIT_OK;
  }
  writeLock(file, { images });
  io.stdout(`${lines.join('\n')}\nbulwark pin: wrote ${args.lock} (${Object.keys(images).length} images)\n`);
  return EXIT_OK;
};
