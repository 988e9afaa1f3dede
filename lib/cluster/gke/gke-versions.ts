import type { SupportedVersion } from '../contracts/cloud-contracts';

/**
 * Kubernetes minor versions GKE offers on the REGULAR release channel, newest first. The channel moves patches (and,
 * at the end of a minor's support, the minor) forward inside the maintenance window; `minMasterVersion` is the floor.
 * Source: GKE release schedule (cloud.google.com/kubernetes-engine/docs/release-schedule).
 */
export const GKE_VERSIONS: readonly SupportedVersion[] = [
  { version: '1.36' },
  { version: '1.35' },
  { version: '1.34' },
];
