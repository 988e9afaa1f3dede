import { IConstruct } from 'constructs';

/** Everything a person needs to act on a refused input. */
export interface PropErrorDetails {
  /** The construct the prop was given to. */
  readonly scope: IConstruct;
  /** Prop name as written in the props object, e.g. `image` or `rules[0].verbs`. */
  readonly prop: string;
  /** The value received. */
  readonly received: unknown;
  /** What is wrong with it, when the allowed set alone does not say. */
  readonly problem?: string;
  /** What would be accepted. */
  readonly allowed: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A refused construct input. Thrown at construction (or at synth for cross-construct checks), so nothing is written. */
export class BulwarkError extends Error {
  public readonly constructPath: string;
  public readonly prop: string;

  constructor(details: PropErrorDetails) {
    super(formatPropError(details));
    this.name = 'BulwarkError';
    this.constructPath = details.scope.node.path;
    this.prop = details.prop;
  }
}

/** Marks a number JSON cannot write (NaN, ±Infinity) or a bigint, so formatValue prints it as written. */
const RAW = '\u0000bulwark-raw:';
const RAW_QUOTED = /"\\u0000bulwark-raw:([^"]*)"/g;

/** A value as the user wrote it: strings quoted, NaN, Infinity and bigints as themselves (JSON would print null). */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint')
    return typeof value === 'bigint' ? `${value}n` : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'bigint' ? `${RAW}${v}n` : typeof v === 'number' && !Number.isFinite(v) ? `${RAW}${v}` : v,
    );
    return text === undefined ? String(value) : text.replace(RAW_QUOTED, '$1');
  } catch {
    return String(value);
  }
}

export function formatPropError(d: PropErrorDetails): string {
  const kind = d.scope.constructor.name;
  const problem = d.problem ? ` (${d.problem})` : '';
  return `${kind} at '${d.scope.node.path}': prop '${d.prop}' received ${formatValue(d.received)}${problem}. Allowed: ${d.allowed}. Fix: ${d.fix}`;
}

export function propError(details: PropErrorDetails): BulwarkError {
  return new BulwarkError(details);
}
