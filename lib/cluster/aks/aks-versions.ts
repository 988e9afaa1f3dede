import type { SupportedVersion } from '../contracts/cloud-contracts';

/**
 * Kubernetes minor versions AKS supports (community support, not LTS), newest first; the `patch` upgrade channel keeps
 * the chosen minor patched inside the maintenance window. Source: AKS Kubernetes release calendar
 * (learn.microsoft.com/azure/aks/supported-kubernetes-versions); `az aks get-versions --location <region>` lists them.
 */
export const AKS_VERSIONS: readonly SupportedVersion[] = [
  { version: '1.35' },
  { version: '1.34' },
  { version: '1.33' },
];
