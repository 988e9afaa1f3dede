import { REPO_ROOT, runMeasured } from './measured-process';

/** One run of the whole unit suite (`jest --ci --silent`), from spawn to exit. */
export interface SuiteRun {
  readonly wallMs: number;
  readonly exitCode: number | null;
  /** From jest's summary line, e.g. `Tests: 1210 passed, 1210 total`. */
  readonly tests?: { readonly passed: number; readonly failed: number; readonly total: number };
}

/** Reads jest's `Tests:` summary line; undefined when there is none. */
export function parseJestSummary(output: string): SuiteRun['tests'] {
  const line = /^Tests:\s+(.*)$/m.exec(output)?.[1];
  if (!line) return undefined;
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { passed: count('passed'), failed: count('failed'), total: count('total') };
}

export async function measureSuite(): Promise<SuiteRun> {
  const p = await runMeasured([require.resolve('jest/bin/jest'), '--ci', '--silent'], {
    cwd: REPO_ROOT,
    timeoutMs: 900_000,
  });
  const tests = parseJestSummary(`${p.stdout}\n${p.stderr}`);
  return { wallMs: p.wallMs, exitCode: p.code, ...(tests ? { tests } : {}) };
}
