/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads standard input, at most `maxBytes` bytes of it plus one (so that the caller sees it is too large). */
  readonly readStdin: (maxBytes?: number) => Promise<string | Uint8Array>;
  readonly cwd: string;
  /** Whether stdout is a terminal that takes ANSI colours (a TTY, NO_COLOR unset). @default false */
  readonly color?: boolean;
}

/** Exit codes shared by every command: 0 ok, 1 findings / failed controls, 2 usage or input errors. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

export class UsageError extends Error {}
