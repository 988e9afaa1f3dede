import { execKubeconfig } from '../exec-kubeconfig';

/**
 * A kubeconfig for a GKE cluster that holds no credential: `gke-gcloud-auth-plugin` mints a short-lived token from the
 * caller's Google identity on every call (no client certificate exists; the cluster issues none).
 */
export function gkeKubeconfig(args: {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthority: string;
}): string {
  return execKubeconfig({
    clusterName: args.clusterName,
    server: `https://${args.endpoint}`,
    certificateAuthority: args.certificateAuthority,
    exec: { command: 'gke-gcloud-auth-plugin', provideClusterInfo: true },
  });
}
