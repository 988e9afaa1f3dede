import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import {
  IMAGES_LOCK_FILE,
  IMAGES_LOCK_MAX_BYTES,
  ImagesLock,
  ImagesLockError,
  parseImagesLock,
} from '../k8s/images-lock';
import { chartDefaultsOf } from './chart-defaults';

/** Environment variable naming the images lock when no BulwarkChart sets `defaults.imagesLock`. */
export const IMAGES_LOCK_ENV = 'BULWARK_IMAGES_LOCK';

/** Parsed locks by absolute path, kept while the file's size and modification time stay the same. */
const CACHE = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly lock: ImagesLock }>();

/**
 * The images lock that applies at `scope`: the enclosing BulwarkChart's `defaults.imagesLock`, else
 * $BULWARK_IMAGES_LOCK, else `bulwark.images.lock` in the current directory (a cdk8s app runs from its project root).
 * `lock` is undefined when that file does not exist; a file that exists but is not a valid lock throws
 * ImagesLockError.
 */
export function imagesLockAt(scope: IConstruct): { readonly file: string; readonly lock?: ImagesLock } {
  // `file` is the path as configured (what messages show); it is read relative to the current directory.
  const file = chartDefaultsOf(scope).imagesLock ?? process.env[IMAGES_LOCK_ENV] ?? IMAGES_LOCK_FILE;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path.resolve(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file };
    throw new ImagesLockError(file, '', `unreadable (${(e as Error).message})`);
  }
  if (!stat.isFile()) throw new ImagesLockError(file, '', 'not a regular file');
  const absolute = path.resolve(file);
  const cached = CACHE.get(absolute);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return { file, lock: cached.lock };
  if (stat.size > IMAGES_LOCK_MAX_BYTES)
    throw new ImagesLockError(file, '', `larger than ${IMAGES_LOCK_MAX_BYTES} bytes`);
  const lock = parseImagesLock(fs.readFileSync(absolute, 'utf8'), file);
  CACHE.set(absolute, { mtimeMs: stat.mtimeMs, size: stat.size, lock });
  return { file, lock };
}
