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
    'separate-stack: this stack creates the cluster only (`pulumi up` from anywhere with cloud credentials); a baseline ' +
    'stack of the same program (`bulwark:baselineFor: <stack>`) applies the baseline from a runner inside the network, ' +
    "reading this stack's kubeconfig and baselineSpec outputs (docs/cluster-apply.md)",
};

/** The apply path of a baseline stack itself. */
export const BASELINE_STACK_TEXT =
  "baseline stack of '<cluster>': applies its baseline through a Kubernetes provider built from <cluster>'s " +
  'kubeconfig output (StackReference); run `pulumi up` on a runner inside the network (an authorized network), after ' +
  "<cluster>'s own `pulumi up`";

/** The credential plugin the runner of an in-network `pulumi up` (or kubectl) needs, per cloud. */
export const RUNNER_TOOLS: Readonly<Record<string, string>> = {
  aws: 'aws CLI v2 (aws eks get-token, assuming the first admin role)',
  gcp: 'gke-gcloud-auth-plugin (and gcloud credentials with container.clusters.connect)',
  azure: 'kubelogin (login mode from bulwark:kubeloginMode, default azurecli) and az CLI',
};
