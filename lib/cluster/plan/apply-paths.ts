import type { BaselineApplyPath } from '../contracts/cloud-contracts';

/** What each apply path means for the person running `pulumi up`, and what the runner needs installed. */
export const APPLY_PATH_TEXT: Readonly<Record<BaselineApplyPath, string>> = {
  'in-program':
    'in-program: this stack applies the baseline through a Kubernetes provider; run `pulumi up` where the API server ' +
    'is reachable (an authorized network, or anywhere for GKE through its IAM-guarded DNS endpoint)',
  gitops:
    'gitops: Flux (the AKS GitOps extension) pulls the synthesized baseline from the configured repository inside the ' +
    'cluster; commit `bulwark synth` output there; `pulumi up` needs no path to the API server',
  'separate-stack':
    'separate-stack: this stack creates the cluster only; a runner inside the network applies the synthesized ' +
    "baseline (`bulwark synth`, then `kubectl apply --server-side` with this stack's kubeconfig and storageClass " +
    'outputs; docs/cluster-apply.md)',
};

/** The credential plugin the runner of an in-network `pulumi up` (or kubectl) needs, per cloud. */
export const RUNNER_TOOLS: Readonly<Record<string, string>> = {
  aws: 'aws CLI v2 (aws eks get-token, assuming the first admin role)',
  gcp: 'gke-gcloud-auth-plugin (and gcloud credentials with container.clusters.connect)',
  azure: 'kubelogin (login mode from bulwark:kubeloginMode, default azurecli) and az CLI',
};
