/** How kubectl obtains a token: a credential plugin run on every call (client.authentication.k8s.io/v1beta1). */
export interface ExecCredential {
  readonly command: string;
  readonly args?: readonly string[];
  /** Pass the cluster's server and CA to the plugin (KUBERNETES_EXEC_INFO). */
  readonly provideClusterInfo?: boolean;
}

/**
 * A kubeconfig that holds no credential: one cluster, one context, and a user whose token comes from `exec` on every
 * call. The shape every hardened cluster component returns (no static token, no client certificate).
 */
export function execKubeconfig(args: {
  readonly clusterName: string;
  readonly server: string;
  readonly certificateAuthority: string;
  readonly exec: ExecCredential;
}): string {
  const { clusterName: name, exec } = args;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // No CA data: the server presents a publicly trusted certificate (GKE's DNS endpoint) and the system roots apply.
    clusters: [
      {
        name,
        cluster: {
          server: args.server,
          ...(args.certificateAuthority !== '' ? { 'certificate-authority-data': args.certificateAuthority } : {}),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: exec.command,
            ...(exec.args ? { args: [...exec.args] } : {}),
            ...(exec.provideClusterInfo ? { provideClusterInfo: true } : {}),
            interactiveMode: 'Never',
          },
        },
      },
    ],
  });
}
