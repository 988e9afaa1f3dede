import { spawn } from 'child_process';
import * as path from 'path';

/** What one benchmarked child process did: wall time from spawn to exit, its peak memory and its output. */
export interface MeasuredProcess {
  /** Exit code (null when killed by a signal). */
  readonly code: number | null;
  /** From spawning the process to its exit, in milliseconds. */
  readonly wallMs: number;
  /** Peak resident set size in kilobytes, as the process saw it at exit (NaN when it did not report it). */
  readonly maxRssKb: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const REPO_ROOT = path.resolve(__dirname, '..');
const RSS_PROBE = path.join(__dirname, 'max-rss-probe.js');

/** `node -r tsx/cjs <file>`: runs a TypeScript entry point the way bin/bulwark.js does. */
export function tsNodeArgs(file: string, args: readonly string[]): string[] {
  return ['-r', require.resolve('tsx/cjs'), file, ...args];
}

export interface RunOptions {
  readonly cwd?: string;
  /** Extra node flags (e.g. `--cpu-prof`), placed before everything else. */
  readonly nodeFlags?: readonly string[];
  /** Extra environment variables of the process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Give up after this long (the process is killed). @default 10 minutes */
  readonly timeoutMs?: number;
}

/**
 * Runs `node <nodeArgs>` in a fresh process with the max-RSS probe preloaded, and measures it. Rejects when the
 * process cannot be started or times out; a non-zero exit is reported in `code`, for the caller to judge.
 */
export function runMeasured(nodeArgs: readonly string[], options: RunOptions = {}): Promise<MeasuredProcess> {
  const args = [...(options.nodeFlags ?? []), '-r', RSS_PROBE, ...nodeArgs];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let end: bigint | undefined;
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env, NO_COLOR: '1' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const rss: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (c: Buffer) => rss.push(c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${options.timeoutMs ?? 600_000} ms: node ${args.join(' ')}`));
    }, options.timeoutMs ?? 600_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', () => {
      end = process.hrtime.bigint();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stop = end ?? process.hrtime.bigint();
      const reported = Number.parseInt(Buffer.concat(rss).toString('utf8'), 10);
      resolve({
        code,
        wallMs: Number(stop - start) / 1e6,
        maxRssKb: Number.isFinite(reported) ? reported : Number.NaN,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
