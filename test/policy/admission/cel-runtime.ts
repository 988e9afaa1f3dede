import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import type * as CelJs from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };

/**
 * Loads @marcbachmann/cel-js inside jest. The package is ESM-only; jest (CommonJS, no --experimental-vm-modules) can
 * neither require nor import it on Node 20, and the jest config is not ours to change. So its lib/*.js files (plain
 * ES2022 modules without dependencies, import.meta or top-level await) are transpiled to CommonJS once and linked
 * here. The engine's code is unchanged; only the module wrapper differs.
 */
function loadCelJs(): typeof CelJs {
  const libDir = path.dirname(require.resolve('@marcbachmann/cel-js'));
  const cache = new Map<string, { exports: Record<string, unknown> }>();
  const load = (file: string): Record<string, unknown> => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const mod = { exports: {} as Record<string, unknown> };
    cache.set(file, mod);
    const source = fs.readFileSync(file, 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    }).outputText;
    const localRequire = (spec: string) => {
      if (!spec.startsWith('.')) throw new Error(`cel-js: unexpected dependency '${spec}' in ${file}`);
      return load(path.resolve(path.dirname(file), spec));
    };
    new Function('exports', 'require', 'module', js)(mod.exports, localRequire, mod);
    return mod.exports;
  };
  return load(path.join(libDir, 'index.js')) as unknown as typeof CelJs;
}

export const cel: typeof CelJs = loadCelJs();
export type CelEnvironment = CelJs.Environment;

/**
 * Kubernetes' CEL quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go), which cel-js lacks: quantity(),
 * isQuantity(), sign(), compareTo(), isLessThan(), isGreaterThan(). Values are exact (a fraction of BigInts), as
 * Kubernetes' inf.Dec-backed resource.Quantity is; quantity() of a string outside the grammar is an error.
 */
const QUANTITY_GRAMMAR =
  /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
const BINARY: Readonly<Record<string, bigint>> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const DECIMAL: Readonly<Record<string, bigint>> = {
  n: -9n,
  u: -6n,
  m: -3n,
  '': 0n,
  k: 3n,
  M: 6n,
  G: 9n,
  T: 12n,
  P: 15n,
  E: 18n,
};

export class Quantity {
  /** value = num / den, den > 0 */
  constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static parse(text: string): Quantity {
    const m = QUANTITY_GRAMMAR.exec(text);
    if (!m) throw new Error(`quantities must match the regular expression '${QUANTITY_GRAMMAR.source}'`);
    const [, sign, number, suffix = ''] = m;
    const [whole, frac = ''] = number.split('.');
    let num = BigInt(`${whole || '0'}${frac}`) * (sign === '-' ? -1n : 1n);
    let den = 10n ** BigInt(frac.length);
    let exp10 = 0n;
    if (suffix in BINARY) num *= 2n ** BINARY[suffix];
    else if (suffix in DECIMAL) exp10 = DECIMAL[suffix];
    else exp10 = BigInt(suffix.slice(1));
    if (exp10 >= 0n) num *= 10n ** exp10;
    else den *= 10n ** -exp10;
    return new Quantity(num, den);
  }

  compareTo(other: Quantity): bigint {
    const a = this.num * other.den;
    const b = other.num * this.den;
    return a < b ? -1n : a > b ? 1n : 0n;
  }
}

/**
 * CEL environments shaped like the API server's for ValidatingAdmissionPolicy: optional syntax on (Kubernetes >= 1.29),
 * homogeneous aggregate literals as cel-go's checker demands, and the request variables declared as dyn so that a
 * misspelt variable fails to compile. matchConditions run before variables and cannot see them, so they get an
 * environment without `variables`.
 *
 * Kubernetes CEL functions the generated expressions use that cel-js has: the standard macros and operators, string
 * startsWith/contains/matches, ext strings indexOf/lastIndexOf/substring/split/join, optionals (`.?`, `[?]`, orValue,
 * hasValue). Missing from cel-js and registered here: the quantity library above.
 */
function baseEnvironment(): CelEnvironment {
  return new cel.Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true })
    .registerType('Quantity', Quantity)
    .registerFunction('quantity(string): Quantity', (s: string) => Quantity.parse(s))
    .registerFunction('isQuantity(string): bool', (s: string) => QUANTITY_GRAMMAR.test(s))
    .registerFunction('Quantity.sign(): int', (q: Quantity) => (q.num < 0n ? -1n : q.num > 0n ? 1n : 0n))
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => a.compareTo(b))
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0n)
    .registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) > 0n)
    .registerVariable('object', 'dyn')
    .registerVariable('oldObject', 'dyn')
    .registerVariable('request', 'dyn')
    .registerVariable('params', 'dyn')
    .registerVariable('namespaceObject', 'dyn');
}

export const matchConditionEnv: CelEnvironment = baseEnvironment();
export const policyEnv: CelEnvironment = baseEnvironment().registerVariable('variables', 'dyn');
