/**
 * The cluster components build on Pulumi SDKs that are optional peer dependencies of bulwark: a project that only
 * uses the constructs or the audit CLI installs none of them. An entry point that needs them checks first, so that a
 * missing SDK ends in a message naming what to install rather than Node's bare "Cannot find module".
 */

/** Thrown when a subpath export of bulwark is imported without the Pulumi packages it needs. */
export class MissingPeerError extends Error {
  constructor(
    readonly entry: string,
    readonly missing: readonly string[],
    readonly needed: readonly string[],
  ) {
    super(
      `${entry} needs the Pulumi SDKs ${needed.join(', ')} (optional peer dependencies of bulwark, not installed ` +
        `with it); missing: ${missing.join(', ')}. Fix: npm install ${needed.join(' ')}`,
    );
    this.name = 'MissingPeerError';
  }
}

/** Whether `name` resolves from where bulwark is installed (the consumer's node_modules). */
export type Resolves = (name: string) => boolean;

const resolvesFromHere: Resolves = (name) => {
  try {
    require.resolve(name);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return false;
    throw e;
  }
};

/** Throws MissingPeerError unless every package of `needed` resolves. */
export function requirePeers(entry: string, needed: readonly string[], resolves: Resolves = resolvesFromHere): void {
  const missing = needed.filter((n) => !resolves(n));
  if (missing.length > 0) throw new MissingPeerError(entry, missing, needed);
}
