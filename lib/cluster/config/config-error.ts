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
}

export function formatConfigValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function formatConfigProblem(p: ConfigProblem): string {
  const problem = p.problem ? ` (${p.problem})` : '';
  return `config key '${p.key}' received ${formatConfigValue(p.received)}${problem}. Allowed: ${p.allowed}. Fix: ${p.fix}`;
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
