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
 * CEL environments shaped like the API server's for ValidatingAdmissionPolicy: optional syntax on (Kubernetes >= 1.29),
 * homogeneous aggregate literals as cel-go's checker demands, and the request variables declared as dyn so that a
 * misspelt variable fails to compile. matchConditions run before variables and cannot see them, so they get an
 * environment without `variables`.
 *
 * Kubernetes CEL libraries used by the generated expressions and present in cel-js: standard macros, string
 * startsWith/matches, ext strings join/lastIndexOf/substring/split/trim/lowerAscii, optionals (`.?`, `[?]`, orValue,
 * hasValue). Missing from cel-js and registered here with Kubernetes semantics: none so far (see quantity below if a
 * rule needs it).
 */
function baseEnvironment(): CelEnvironment {
  return new cel.Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true })
    .registerVariable('object', 'dyn')
    .registerVariable('oldObject', 'dyn')
    .registerVariable('request', 'dyn')
    .registerVariable('params', 'dyn')
    .registerVariable('namespaceObject', 'dyn');
}

export const matchConditionEnv: CelEnvironment = baseEnvironment();
export const policyEnv: CelEnvironment = baseEnvironment().registerVariable('variables', 'dyn');
