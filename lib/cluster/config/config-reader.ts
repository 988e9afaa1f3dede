import { canonicalCidr, hasHostBits, parseIpv4Cidr } from '../../k8s/cidr';
import { ConfigError, ConfigProblem, isSecureValue } from './config-error';

/** Config values of one namespace, keys without the namespace prefix (`cloud`, not `bulwark:cloud`). */
export type RawConfig = Readonly<Record<string, unknown>>;

const SECRET_KEYS = new WeakMap<RawConfig, ReadonlySet<string>>();

/** Records which top-level keys of `raw` Pulumi marks secret (`pulumi config set --secret`): never printed. */
export function markSecretKeys(raw: RawConfig, keys: Iterable<string>): RawConfig {
  SECRET_KEYS.set(raw, new Set(keys));
  return raw;
}

export interface StringSpec {
  readonly pattern?: RegExp;
  /** Accepted values; checked instead of `pattern` when given. */
  readonly oneOf?: readonly string[];
  readonly allowed: string;
  readonly fix: string;
}

export interface IntegerSpec {
  readonly min: number;
  readonly max: number;
  readonly fix: string;
}

/**
 * Reads untrusted config (a stack file or `pulumi.Config`) and collects every problem instead of stopping at the first,
 * so that one run lists all of them. Paths are written as in the stack file (`nodeGroups[1].minCount`) and reported
 * with the namespace (`bulwark:nodeGroups[1].minCount`). Shared by every cloud's config validation.
 */
export class ConfigReader {
  private readonly found: ConfigProblem[] = [];
  private readonly read = new Set<string>();

  constructor(
    private readonly raw: RawConfig,
    public readonly namespace = 'bulwark',
  ) {}

  get problems(): readonly ConfigProblem[] {
    return this.found;
  }

  /** The key as written in the stack file, e.g. `bulwark:region`. */
  key(path: string): string {
    return `${this.namespace}:${path}`;
  }

  report(path: string, received: unknown, allowed: string, fix: string, problem?: string): void {
    // A value inside a secret or encrypted top-level key is secret too.
    const top = /^[^.[]*/.exec(path)?.[0] ?? path;
    const secret = SECRET_KEYS.get(this.raw)?.has(top) === true || isSecureValue(this.raw[top]);
    this.found.push({
      key: this.key(path),
      received,
      allowed,
      fix,
      ...(problem ? { problem } : {}),
      ...(secret ? { secret } : {}),
    });
  }

  /** The raw value of a top-level key, marking it as known. */
  value(key: string): unknown {
    this.read.add(key);
    return this.raw[key];
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  /** Reports every key no validation asked for: a typo must not silently fall back to a default. */
  rejectUnknownKeys(): void {
    const known = [...this.read].sort();
    for (const key of Object.keys(this.raw)) {
      if (this.read.has(key)) continue;
      this.report(
        key,
        this.raw[key],
        `one of ${known.map((k) => this.key(k)).join(', ')}`,
        `remove '${this.key(key)}' or correct its spelling`,
        'unknown key for this cloud',
      );
    }
  }

  /** Throws a ConfigError listing every problem, if there is any. */
  throwIfProblems(source: string): void {
    if (this.found.length > 0) throw new ConfigError(source, this.found);
  }

  string(path: string, value: unknown, spec: StringSpec): string | undefined {
    if (typeof value !== 'string' || value.trim() === '') {
      const problem =
        value === undefined ? 'required' : typeof value === 'number' ? 'a number, not a string' : 'not a string';
      this.report(path, value, spec.allowed, spec.fix, problem);
      return undefined;
    }
    const ok = spec.oneOf ? spec.oneOf.includes(value) : spec.pattern ? spec.pattern.test(value) : true;
    if (!ok) {
      this.report(path, value, spec.allowed, spec.fix);
      return undefined;
    }
    return value;
  }

  integer(path: string, value: unknown, spec: IntegerSpec): number | undefined {
    const allowed = `a whole number from ${spec.min} to ${spec.max}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.report(path, value, allowed, spec.fix, value === undefined ? 'required' : 'not a whole number');
      return undefined;
    }
    if (value < spec.min || value > spec.max) {
      this.report(path, value, allowed, spec.fix, value < spec.min ? `less than ${spec.min}` : `more than ${spec.max}`);
      return undefined;
    }
    return value;
  }

  /** A YAML list; `minItems` 0 allows an empty or missing list. */
  list(path: string, value: unknown, minItems: number, allowed: string, fix: string): readonly unknown[] | undefined {
    if (value === undefined && minItems === 0) return [];
    if (!Array.isArray(value)) {
      this.report(path, value, allowed, fix, value === undefined ? 'required' : 'not a list');
      return undefined;
    }
    if (value.length < minItems) {
      this.report(path, value, allowed, fix, `needs at least ${minItems} item${minItems === 1 ? '' : 's'}`);
      return undefined;
    }
    return value;
  }

  /**
   * A list of at least `minItems` strings, each checked against `item`; every problem is reported, and the result is
   * undefined when the list or any item is wrong.
   */
  stringList(
    key: string,
    minItems: number,
    list: { readonly allowed: string; readonly fix: string },
    item: StringSpec,
  ): readonly string[] | undefined {
    const values = this.list(key, this.value(key), minItems, list.allowed, list.fix);
    if (values === undefined) return undefined;
    const out = values.map((v, i) => this.string(`${key}[${i}]`, v, item));
    return out.every((v): v is string => v !== undefined) ? out : undefined;
  }

  /** A YAML mapping (not a list, not null). */
  object(path: string, value: unknown, allowed: string, fix: string): Readonly<Record<string, unknown>> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(path, value, allowed, fix, value === undefined ? 'required' : 'not a mapping');
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  /** Reports fields of a mapping that are not in `known` (typos in list items). */
  rejectUnknownFields(path: string, value: Readonly<Record<string, unknown>>, known: readonly string[]): void {
    for (const field of Object.keys(value)) {
      if (known.includes(field)) continue;
      this.report(
        `${path}.${field}`,
        value[field],
        `fields ${known.join(', ')}`,
        `remove '${field}' or correct its spelling`,
        'unknown field',
      );
    }
  }

  /**
   * A network allowed to reach the Kubernetes API. Refuses anything that is not an IPv4 CIDR, CIDRs with host bits
   * set, and networks larger than a /8: `0.0.0.0/0` (or any near it) would make the endpoint reachable from the whole
   * internet, which is what a private endpoint and an allowlist exist to prevent (CIS EKS 5.4.1, CIS GKE 5.6.3).
   */
  authorizedCidr(path: string, value: unknown): string | undefined {
    const allowed =
      'an IPv4 CIDR of at most a /8 that you control (VPN, bastion or CI runner range), e.g. "10.20.0.0/16"';
    if (typeof value !== 'string') {
      this.report(path, value, allowed, 'write the network as a quoted string such as "10.20.0.0/16"', 'not a string');
      return undefined;
    }
    const cidr = parseIpv4Cidr(value);
    if (!cidr) {
      this.report(path, value, allowed, 'write address/prefix, e.g. "10.20.0.0/16" or "203.0.113.10/32"', 'not a CIDR');
      return undefined;
    }
    if (cidr.prefix < 8) {
      const everyone = cidr.prefix === 0 ? 'the whole internet' : `${2 ** (32 - cidr.prefix)} addresses`;
      this.report(
        path,
        value,
        allowed,
        'list only the networks your administrators and CI connect from; reach the private endpoint through a VPN or bastion',
        `opens the Kubernetes API to ${everyone}`,
      );
      return undefined;
    }
    if (hasHostBits(cidr)) {
      this.report(path, value, allowed, `use the network address "${canonicalCidr(cidr)}"`, 'host bits set');
      return undefined;
    }
    return value;
  }
}
