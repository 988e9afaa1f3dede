/**
 * A kubeconfig for a GKE cluster that holds no credential: `gke-gcloud-auth-plugin` mints a short-lived token from the
 * caller's Google identity on every call (no client certificate exists; the cluster issues none).
 */
export function gkeKubeconfig(args: {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthority: string;
}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: args.clusterName,
        cluster: { server: `https://${args.endpoint}`, 'certificate-authority-data': args.certificateAuthority },
      },
    ],
    contexts: [{ name: args.clusterName, context: { cluster: args.clusterName, user: args.clusterName } }],
    'current-context': args.clusterName,
    users: [
      {
        name: args.clusterName,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'gke-gcloud-auth-plugin',
            provideClusterInfo: true,
            interactiveMode: 'Never',
          },
        },
      },
    ],
  });
}
