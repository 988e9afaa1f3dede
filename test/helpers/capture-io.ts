import { CliIo } from '../../lib/cli/cli-io';

/** A CliIo that records what a command writes; standard input is `stdin`. */
export function captureIo(cwd: string, stdin = ''): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: async () => stdin,
    cwd,
    out: () => out,
    err: () => err,
  };
}
