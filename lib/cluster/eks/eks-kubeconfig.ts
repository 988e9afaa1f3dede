import { execKubeconfig } from '../exec-kubeconfig';

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
  return execKubeconfig({
    clusterName: args.clusterName,
    server: args.endpoint,
    certificateAuthority: args.certificateAuthority,
    exec: {
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
    },
  });
}
