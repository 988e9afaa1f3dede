import { formatValue } from '../../construct/errors';

/** One refused config value, with everything a person needs to fix it. */
export interface ConfigProblem {
  /** Fully qualified key as written in the stack file, e.g. `bulwark:authorizedNetworks[0]`. */
  readonly key: string;
  /** The value received (undefined when the key is missing). */
  readonly received: unknown;
  /** What is wrong with it, when the allowed set alone does not say. */
  readonly problem?: string;
  /** What would be accepted. */
  readonly allowed: string;
  /** How to fix it. */
  readonly fix: string;
  /** The value is or may be a secret (a `secure:` value, a key Pulumi marks secret, another tool's key): never shown. */
  readonly secret?: boolean;
}

/** A value as the user wrote it (NaN and Infinity as themselves, not JSON's null); `nothing` for a missing one. */
export function formatConfigValue(value: unknown): string {
  return value === undefined ? 'nothing' : formatValue(value);
}

/** Pulumi's encrypted form of a secret in a stack file: `{ secure: <ciphertext> }`. */
export function isSecureValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'secure' in value;
}

/** Key names that hold credentials, whatever their namespace: their values are never printed. */
const SECRET_NAME = /secret|passw|token|credential|privatekey|apikey|accesskey|sastoken|connectionstring/i;

/** Whether a problem's value must not be printed: marked secret, encrypted (`secure:`), or named like a credential. */
export function isSecretProblem(p: ConfigProblem): boolean {
  return p.secret === true || isSecureValue(p.received) || SECRET_NAME.test(p.key.replace(/[^A-Za-z]/g, ''));
}

export function formatConfigProblem(p: ConfigProblem): string {
  const problem = p.problem ? ` (${p.problem})` : '';
  const received = isSecretProblem(p) ? 'a value not shown (it is or may be a secret)' : formatConfigValue(p.received);
  return `config key '${p.key}' received ${received}${problem}. Allowed: ${p.allowed}. Fix: ${p.fix}`;
}

/**
 * Every problem found in one stack's config, reported together so one run shows all of them. `source` names where
 * the values came from: the stack file for `bulwark plan`, the Pulumi stack for `pulumi up`.
 */
export class ConfigError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: readonly ConfigProblem[],
  ) {
    const n = problems.length;
    super(
      `${source}: ${n} config error${n === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${formatConfigProblem(p)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
