import * as fs from 'fs';
import * as path from 'path';

/** The project's bulwark configuration file, read from the working folder (the repository root in CI). */
export const CONFIG_FILE = 'bulwark.config.json';

/** `bulwark.config.json`: `{ "rules": ["policies"] }`, directories of custom rule folders relative to the file. */
export interface BulwarkConfig {
  readonly rules: readonly string[];
}

const KEYS = ['rules'];

/** bulwark.config.json cannot be used: the message names the file, the key and what is allowed. */
export class BulwarkConfigError extends Error {}

/**
 * The configuration in `cwd`, or an empty one when there is no file. Throws a BulwarkConfigError naming the file, the key and
 * what is allowed when it is not JSON, has an unknown key (a typo must not silently drop a team's rules) or a value
 * of the wrong type.
 */
export function readBulwarkConfig(cwd: string): BulwarkConfig {
  const file = path.join(cwd, CONFIG_FILE);
  if (!fs.existsSync(file)) return { rules: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BulwarkConfigError(`${CONFIG_FILE}: not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BulwarkConfigError(`${CONFIG_FILE}: expected a JSON object such as { "rules": ["policies"] }`);
  }
  const unknown = Object.keys(parsed).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) {
    throw new BulwarkConfigError(`${CONFIG_FILE}: unknown key '${unknown[0]}': allowed keys are ${KEYS.join(', ')}`);
  }
  const rules = (parsed as { rules?: unknown }).rules ?? [];
  if (!Array.isArray(rules) || rules.some((r) => typeof r !== 'string' || r === '')) {
    throw new BulwarkConfigError(
      `${CONFIG_FILE}: rules: expected an array of directories, got ${JSON.stringify(rules)}`,
    );
  }
  return { rules: rules as string[] };
}
