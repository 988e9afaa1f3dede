import type { Volume } from 'kubernetes-types/core/v1';

/**
 * Where a workload's secret material comes from: an external store, never a literal in a manifest.
 * @see OWASP K08 "Secrets management failures", NSA/CISA "Secrets"
 */
export interface ISecretSource {
  /** Namespace the source lives in; pods can only mount sources of their own namespace. */
  readonly namespace: string;
  /** @internal The pod volume that presents the secret as read-only files (without its name). */
  _volume(): Omit<Volume, 'name'>;
  /** @internal Name of the Kubernetes Secret the source materializes, when it does (env vars need one). */
  readonly _kubernetesSecretName?: string;
  /** A human name for errors, e.g. `ExternalSecret shop/db-credentials`. */
  readonly description: string;
  /** True when the Kubernetes Secret the source materializes has this key (what `secretEnv` may read). */
  hasKey(key: string): boolean;
}

/** Secret files mounted into the container, read-only. */
export interface SecretFiles {
  readonly source: ISecretSource;
  /** Absolute directory the files appear in. */
  readonly mountPath: string;
}

/** One environment variable read from a key of a materialized secret. */
export interface SecretEnv {
  readonly source: ISecretSource;
  /** Key in the secret. */
  readonly key: string;
}
