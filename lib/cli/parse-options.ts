import { UsageError } from './cli-io';

/**
 * Options of every command that takes inputs (audit, graph, report): `--name value` or `--name=value` for each of `valueOptions`,
 * `--name` for each of `flagOptions`, `-h`/`--help`, `--` before inputs that start with a dash; everything else is an
 * input.
 */
export function parseOptions(
  argv: readonly string[],
  valueOptions: readonly string[],
  flagOptions: readonly string[] = [],
): { inputs: string[]; values: Map<string, string[]>; flags: Set<string>; help: boolean } {
  const inputs: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  let help = false;
  let optionsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (optionsDone || arg === '-' || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsDone = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (flagOptions.includes(name)) {
      if (eq !== -1) throw new UsageError(`${name}: takes no value (found '${arg}')`);
      flags.add(name);
      continue;
    }
    if (!valueOptions.includes(name)) {
      throw new UsageError(
        `unknown option '${name}': use ${[...valueOptions, ...flagOptions].join(', ')} or --help (inputs are files, directories or -)`,
      );
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`${name}: missing value: ${name} needs a value (see --help)`);
      }
      value = next;
      i++;
    }
    if (value === '') throw new UsageError(`${name}: empty value: give ${name} a value (see --help)`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { inputs, values, flags, help };
}

/** The one value of an option that may be given once; the last one wins, as with most command lines. */
export function lastValue(values: Map<string, string[]>, name: string): string | undefined {
  const all = values.get(name);
  return all?.[all.length - 1];
}

export function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option}: invalid value '${value}': use ${allowed.join(', ')}`);
}
