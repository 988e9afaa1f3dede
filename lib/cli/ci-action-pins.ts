/**
 * The third-party GitHub Actions the generated workflow uses, each pinned by the full commit SHA of a release. A tag
 * (`@v4`) can be moved by whoever controls the action's repository, or by whoever steals their credentials (as
 * happened to tj-actions/changed-files and to trivy-action's tags): the runner would then execute new code with the
 * job's token. A commit SHA cannot be moved. Each pin was read from the action's repository, the release tag resolved
 * to its commit and that commit checked to be on the default branch (a hijacked tag points elsewhere); the tag is kept
 * as a comment for readers and for Dependabot/Renovate, which update SHA pins with their comment.
 */
export interface ActionPin {
  readonly uses: string;
  readonly sha: string;
  readonly version: string;
}

export const ACTION_PINS = {
  checkout: { uses: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  setupNode: { uses: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  uploadArtifact: {
    uses: 'actions/upload-artifact',
    sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f',
    version: 'v7.0.0',
  },
  downloadArtifact: {
    uses: 'actions/download-artifact',
    sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c',
    version: 'v8.0.1',
  },
  uploadSarif: {
    uses: 'github/codeql-action/upload-sarif',
    sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e',
    version: 'v4.36.2',
  },
  setupTrivy: { uses: 'aquasecurity/setup-trivy', sha: '81e514348e19b6112ce2a7e3ecbafe19c1e1f567', version: 'v0.3.1' },
  cosignInstaller: {
    uses: 'sigstore/cosign-installer',
    sha: '6f9f17788090df1f26f669e9d70d6ae9567deba6',
    version: 'v4.1.2',
  },
} as const satisfies Record<string, ActionPin>;

/** Trivy release the workflow installs (setup-trivy's `version`), the one trivy-action v0.36.0 defaults to. */
export const TRIVY_VERSION = 'v0.70.0';
/** Cosign release the workflow installs (cosign-installer verifies the binary it downloads). */
export const COSIGN_VERSION = 'v3.0.6';

/** `owner/repo[/path]@<sha> # <version>`, the form of every `uses:` line of the generated workflow. */
export function usesLine(pin: ActionPin): string {
  return `${pin.uses}@${pin.sha} # ${pin.version}`;
}
