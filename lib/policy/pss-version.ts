/**
 * Pod Security Standards versions. The standard is versioned with Kubernetes minor releases (`v1.0` ... `v1.37`,
 * plus `latest`), exactly as the namespace label `pod-security.kubernetes.io/enforce-version` names it.
 * A version is represented by its minor number; `latest` is the newest behaviour.
 */
export const OLDEST_PSS_MINOR = 0;
/** Newest version with published upstream conformance fixtures. */
export const NEWEST_PSS_MINOR = 37;
export const LATEST_PSS_VERSION = Number.MAX_SAFE_INTEGER;

export type PssLevel = 'baseline' | 'restricted';
export const PSS_LEVELS: readonly PssLevel[] = ['baseline', 'restricted'];

/** Parses `v1.25`, `1.25` or `latest` into the minor number; undefined when malformed or newer than known. */
export function parsePssVersion(text: string): number | undefined {
  if (text === 'latest') return LATEST_PSS_VERSION;
  const m = /^v?1\.(0|[1-9][0-9]?)$/.exec(text);
  return m && Number(m[1]) <= NEWEST_PSS_MINOR ? Number(m[1]) : undefined;
}

export function formatPssVersion(minor: number): string {
  return minor === LATEST_PSS_VERSION ? 'latest' : `v1.${minor}`;
}
