import { execKubeconfig } from '../exec-kubeconfig';
import { parse } from 'yaml';

/** The application id of the AKS Entra ID server (the audience of every AKS token; the same in every tenant). */
export const AKS_ENTRA_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/**
 * The API server address and CA certificate from the user kubeconfig AKS returns (listClusterUserCredential, base64
 * YAML). Throws naming what is missing: a kubeconfig without them cannot reach the cluster.
 */
export function serverAndCa(base64Kubeconfig: string, clusterName: string): { server: string; ca: string } {
  const doc = parse(Buffer.from(base64Kubeconfig, 'base64').toString('utf8')) as {
    clusters?: { cluster?: { server?: unknown; 'certificate-authority-data'?: unknown } }[];
  } | null;
  const cluster = doc?.clusters?.[0]?.cluster;
  if (typeof cluster?.server !== 'string' || typeof cluster['certificate-authority-data'] !== 'string') {
    throw new Error(
      `HardenedAksCluster '${clusterName}': the user kubeconfig AKS returned has no clusters[0].cluster.server and ` +
        'certificate-authority-data. Allowed: the kubeconfig of listClusterUserCredential. Fix: check that the ' +
        'cluster finished provisioning (az aks show) and run pulumi up again.',
    );
  }
  return { server: cluster.server, ca: cluster['certificate-authority-data'] };
}

/**
 * A kubeconfig for an AKS cluster that holds no credential: local accounts are disabled, and `kubelogin` exchanges the
 * caller's Azure CLI login for a short-lived Entra ID token on every call (Azure RBAC decides what it may do).
 */
/** How kubelogin gets the caller's Entra ID token: `kubelogin get-token --login <mode>`. */
export const KUBELOGIN_MODES = ['azurecli', 'workloadidentity', 'msi', 'azd'] as const;
export type KubeloginMode = (typeof KUBELOGIN_MODES)[number];

export function aksKubeconfig(args: {
  readonly clusterName: string;
  readonly server: string;
  readonly certificateAuthority: string;
  /** @default 'azurecli' (a person after `az login`); `workloadidentity` or `msi` for an in-network runner */
  readonly loginMode?: KubeloginMode;
}): string {
  return execKubeconfig({
    clusterName: args.clusterName,
    server: args.server,
    certificateAuthority: args.certificateAuthority,
    exec: {
      command: 'kubelogin',
      args: ['get-token', '--login', args.loginMode ?? 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID],
    },
  });
}
