import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as vm from 'vm';

/**
 * Loading a team's rule file (`check.ts`, `cel.ts`) from the installed CLI, which runs compiled JavaScript without a
 * TypeScript loader (bin/bulwark.js). A `.ts` file is turned into JavaScript by, in this order:
 *
 * 1. the consumer's own `typescript` package (`transpileModule`), resolved from the rule's folder or the working
 *    folder: a team writing TypeScript rules has it, it reads every syntax of their TypeScript version (enums,
 *    namespaces, decorators), and bulwark adds no compiler to its own dependencies;
 * 2. else Node's own loader, when it strips types (`process.features.typescript`: on by default from Node 22.18 and
 *    23.6), which needs no package but reads only erasable syntax (no enums or namespaces) and wants relative
 *    imports written with their `.ts` extension.
 *
 * Neither checks types: the team's `tsc` does, as for the rest of their code. `.js` and `.cjs` files load as they are.
 * Relative imports of other `.ts` files load the same way; packages (`bulwark` itself) load through Node's require.
 * Top-level code runs under a time limit, so a rule file that loops ends in an error, not a hang.
 */

/**
 * The message of whatever a rule threw. Rule code may run in another realm than bulwark's (a test runner's sandbox),
 * where `instanceof Error` is false for its errors.
 */
export function errorMessage(e: unknown): string {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(e);
}

/** What went wrong loading a rule file: the message names the file and the fix. */
export class RuleModuleError extends Error {}

/** How long a rule file's top-level code, or one call of a rule's check, may run. */
export const RULE_TIME_LIMIT_MS = 2000;

const TIMEOUT_CODE = 'ERR_SCRIPT_EXECUTION_TIMEOUT';

const callContext = vm.createContext({ call: undefined as unknown });
const callScript = new vm.Script('call()', { filename: 'bulwark-rule-call' });

/**
 * Runs `fn` with a time limit: V8 terminates it (wherever its code was compiled) after `ms`, which a plain call cannot
 * do for a synchronous loop. Throws RuleModuleError `<what> did not finish within <ms> ms` on the limit.
 */
export function callWithTimeLimit<T>(fn: () => T, what: string, ms = RULE_TIME_LIMIT_MS): T {
  (callContext as { call: unknown }).call = fn;
  try {
    return callScript.runInContext(callContext, { timeout: ms }) as T;
  } catch (e) {
    if ((e as { code?: string }).code === TIMEOUT_CODE) {
      throw new RuleModuleError(`${what} did not finish within ${ms} ms: a rule must not loop or wait`);
    }
    throw e;
  } finally {
    (callContext as { call: unknown }).call = undefined;
  }
}

type Transpile = (source: string, file: string) => string;

interface TypeScriptApi {
  transpileModule(
    input: string,
    options: { compilerOptions: Record<string, unknown>; fileName: string; reportDiagnostics?: boolean },
  ): { outputText: string };
  ModuleKind: { CommonJS: unknown };
  ScriptTarget: { ES2022: unknown };
}

/** The consumer's TypeScript compiler, as a transpiler for `.ts` rule files, and where it was found. */
export function typeScriptTranspiler(
  searchFrom: readonly string[],
): { name: string; transpile: Transpile } | undefined {
  for (const from of searchFrom) {
    let resolved: string;
    try {
      resolved = require.resolve('typescript', { paths: [from] });
    } catch {
      continue;
    }
    const ts = require(resolved) as TypeScriptApi;
    return {
      name: `typescript (${resolved})`,
      transpile: (source, file) =>
        ts.transpileModule(source, {
          fileName: file,
          compilerOptions: {
            module: ts.ModuleKind.CommonJS,
            target: ts.ScriptTarget.ES2022,
            esModuleInterop: true,
            sourceMap: false,
            inlineSourceMap: false,
          },
        }).outputText,
    };
  }
  return undefined;
}

/** Loads rule files: each file once, `.ts` through the transpiler, top-level code under the time limit. */
export class RuleModuleLoader {
  private readonly cache = new Map<string, Record<string, unknown>>();
  private transpiler: { name: string; transpile: Transpile } | null | undefined;

  constructor(private readonly cwd: string) {}

  /** The module's exports; throws RuleModuleError naming the file when it cannot be read, compiled or run. */
  load(file: string): Record<string, unknown> {
    const abs = path.resolve(this.cwd, file);
    const cached = this.cache.get(abs);
    if (cached) return cached;
    let source: string;
    try {
      source = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      throw new RuleModuleError(`${file}: cannot read the rule file: ${errorMessage(e)}`);
    }
    let code = source;
    if (/\.[cm]?ts$/.test(abs)) {
      if (this.transpiler === undefined) {
        // The rule's project, the working folder, then the project bulwark is installed in (its node_modules).
        this.transpiler = typeScriptTranspiler([path.dirname(abs), this.cwd, __dirname]) ?? null;
      }
      if (this.transpiler === null && nodeStripsTypes()) return this.requireNatively(abs, file);
      if (this.transpiler === null) {
        throw new RuleModuleError(
          `${file}: a TypeScript rule needs the typescript package in your project (npm install --save-dev typescript) or Node 22.13 or later (type stripping); or write the rule as check.js`,
        );
      }
      try {
        code = (this.transpiler as { transpile: Transpile }).transpile(source, abs);
      } catch (e) {
        throw new RuleModuleError(
          `${file}: ${(this.transpiler as { name: string }).name} cannot read it: ${errorMessage(e)}`,
        );
      }
    }
    const module = { exports: {} as Record<string, unknown> };
    this.cache.set(abs, module.exports);
    const nodeRequire = createRequire(abs);
    const requireFn = (spec: string): unknown => {
      if (spec.startsWith('.')) {
        const base = path.resolve(path.dirname(abs), spec);
        const ts = [base, `${base}.ts`, path.join(base, 'index.ts')].find(
          (p) => /\.[cm]?ts$/.test(p) && fs.existsSync(p) && fs.statSync(p).isFile(),
        );
        if (ts) return this.load(ts);
      }
      return nodeRequire(spec);
    };
    let fn: (...args: unknown[]) => unknown;
    try {
      fn = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], {
        filename: abs,
      }) as (...args: unknown[]) => unknown;
    } catch (e) {
      this.cache.delete(abs);
      const hint = /\b(import|export)\b/.test(errorMessage(e))
        ? ` (ES module syntax: install typescript in your project so the file is compiled to CommonJS)`
        : '';
      throw new RuleModuleError(`${file}: not valid JavaScript after compiling: ${errorMessage(e)}${hint}`);
    }
    try {
      callWithTimeLimit(
        () => fn(module.exports, requireFn, module, abs, path.dirname(abs)),
        `${file}: its top-level code`,
      );
    } catch (e) {
      this.cache.delete(abs);
      if (e instanceof RuleModuleError) throw e;
      throw new RuleModuleError(`${file}: loading it threw: ${errorMessage(e)}`);
    }
    const exported = module.exports;
    this.cache.set(abs, exported);
    return exported;
  }

  /** Node's own loader with type stripping (no typescript package): ES modules or CommonJS, under the time limit. */
  private requireNatively(abs: string, file: string): Record<string, unknown> {
    try {
      const exported = callWithTimeLimit(
        () => createRequire(abs)(abs) as Record<string, unknown>,
        `${file}: its top-level code`,
      );
      this.cache.set(abs, exported);
      return exported;
    } catch (e) {
      if (e instanceof RuleModuleError) throw e;
      throw new RuleModuleError(`${file}: loading it threw: ${errorMessage(e)}`);
    }
  }
}

/** Whether this Node strips TypeScript types itself when it loads a `.ts` file. */
function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}
