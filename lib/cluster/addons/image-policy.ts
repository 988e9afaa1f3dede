import type { K8sObject } from '../../k8s/k8s-object';
import type { ImageSigner } from '../../policy/image-signers';

/** The label that puts a namespace under the ClusterImagePolicy (policy-controller's opt-in label). */
export const IMAGE_POLICY_NAMESPACE_LABEL = 'policy.sigstore.dev/include';

/** cosign attest's predicate types: `--type cyclonedx` and `--type vuln`. */
export const SBOM_PREDICATE_TYPE = 'https://cyclonedx.org/bom';
export const VULN_PREDICATE_TYPE = 'https://cosign.sigstore.dev/attestation/vuln/v1';

export interface ImagePolicyOptions {
  readonly signers: readonly ImageSigner[];
  /** Refuse an image without a CycloneDX SBOM attestation from an allowed signer. @default true */
  readonly requireSbom?: boolean;
  /**
   * Refuse an image whose newest vulnerability-scan attestation finished longer ago than this many hours (0: no
   * scan required). @default 168 (a week)
   */
  readonly maxScanAgeHours?: number;
}

const FULCIO = 'https://fulcio.sigstore.dev';
const REKOR = 'https://rekor.sigstore.dev';

/** Rego for policy-controller: the scan attestation finished within `hours` of admission. */
export function scanAgeRego(hours: number): string {
  const ns = BigInt(hours) * 3600n * 1_000_000_000n;
  return [
    'package sigstore',
    'default isCompliant = false',
    'isCompliant {',
    `  input.predicateType == "${VULN_PREDICATE_TYPE}"`,
    '  finished := time.parse_rfc3339_ns(input.predicate.metadata.scanFinishedOn)',
    `  time.now_ns() - finished <= ${ns}`,
    '}',
    '',
  ].join('\n');
}

/**
 * The ClusterImagePolicy for the allowed signers: every image (glob `**`) in a namespace labelled
 * `policy.sigstore.dev/include: "true"` must carry a signature from one of them (policy-controller admits an image
 * when any authority is satisfied), and, when asked, attestations by the same signer: a CycloneDX SBOM and a
 * vulnerability scan no older than maxScanAgeHours. Mode `enforce`: a failing image is refused, not warned.
 */
export function clusterImagePolicy(options: ImagePolicyOptions): K8sObject {
  if (options.signers.length === 0) {
    throw new Error(
      'the image-policy add-on needs at least one signer in bulwark:signers (a key or a keyless identity)',
    );
  }
  const hours = options.maxScanAgeHours ?? 168;
  if (!Number.isInteger(hours) || hours < 0)
    throw new Error(`maxScanAgeHours: expected a whole number >= 0, got ${hours}`);
  const attestations = [
    ...((options.requireSbom ?? true)
      ? [
          {
            name: 'sbom',
            predicateType: SBOM_PREDICATE_TYPE,
            policy: { type: 'cue', data: `predicateType: "${SBOM_PREDICATE_TYPE}"` },
          },
        ]
      : []),
    ...(hours > 0
      ? [
          {
            name: 'vuln-scan-age',
            predicateType: VULN_PREDICATE_TYPE,
            policy: { type: 'rego', data: scanAgeRego(hours) },
          },
        ]
      : []),
  ];
  const authorities = options.signers.map((s) => ({
    name: s.name,
    ...('key' in s
      ? { key: { data: s.key, hashAlgorithm: 'sha256' } }
      : {
          keyless: {
            url: FULCIO,
            identities: [
              'subject' in s
                ? { issuer: s.issuer, subject: s.subject }
                : { issuer: s.issuer, subjectRegExp: s.subjectRegExp },
            ],
          },
          ctlog: { url: REKOR },
        }),
    ...(attestations.length ? { attestations } : {}),
  }));
  return {
    apiVersion: 'policy.sigstore.dev/v1beta1',
    kind: 'ClusterImagePolicy',
    metadata: { name: 'bulwark-signed-images', labels: { 'app.kubernetes.io/managed-by': 'bulwark' } },
    spec: { mode: 'enforce', images: [{ glob: '**' }], authorities },
  };
}
