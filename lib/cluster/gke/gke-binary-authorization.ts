import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';

export interface GkeBinaryAuthorizationArgs {
  readonly project: string;
  /** Image name patterns admitted (e.g. `europe-west1-docker.pkg.dev/acme-search-prod/**`); everything else is denied. */
  readonly trustedImagePatterns: readonly string[];
}

/**
 * CIS GKE 5.1.4: only trusted images run. The project's Binary Authorization policy (a project singleton, created by
 * the stack that owns the project's policies) admits Google's system images and the trusted registries, and blocks and
 * audits everything else; the clusters enforce it (PROJECT_SINGLETON_POLICY_ENFORCE).
 */
export class GkeBinaryAuthorization extends BulwarkComponent {
  constructor(name: string, args: GkeBinaryAuthorizationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('GkeBinaryAuthorization', name, opts);
    const policyArgs: gcp.binaryauthorization.PolicyArgs = {
      project: args.project,
      // Google-maintained system images (GKE's own components) are admitted without a rule of ours.
      globalPolicyEvaluationMode: 'ENABLE',
      admissionWhitelistPatterns: args.trustedImagePatterns.map((namePattern) => ({ namePattern })),
      defaultAdmissionRule: { evaluationMode: 'ALWAYS_DENY', enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG' },
    };
    // Kept when the stack is destroyed: the project's other clusters enforce it too.
    new gcp.binaryauthorization.Policy(name, policyArgs, { parent: this, retainOnDelete: true });
    this.registerOutputs({});
  }
}
