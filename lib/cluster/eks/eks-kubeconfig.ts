/**
 * A kubeconfig for an EKS cluster that holds no credential: `aws eks get-token` mints a short-lived token for the
 * assumed admin role on every call (access entries map the role; there is no aws-auth ConfigMap and no static token).
 */
export function eksKubeconfig(args: {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthority: string;
  readonly region: string;
  readonly roleArn: string;
}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: args.clusterName,
        cluster: { server: args.endpoint, 'certificate-authority-data': args.certificateAuthority },
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
            command: 'aws',
            args: [
              'eks',
              'get-token',
              '--cluster-name',
              args.clusterName,
              '--region',
              args.region,
              '--role-arn',
              args.roleArn,
            ],
            interactiveMode: 'Never',
          },
        },
      },
    ],
  });
}
