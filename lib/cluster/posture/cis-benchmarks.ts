/**
 * The CIS benchmark versions bulwark's cluster controls cite, with the recommendations they cite, as numbered in
 * kube-bench's configurations of those versions (aquasecurity/kube-bench cfg/eks-1.8.0, cfg/gke-1.9.0, cfg/aks-1.8:
 * managedservices.yaml, controlplane.yaml, policies.yaml). A control's reference `CIS GKE 5.6.4` means recommendation
 * 5.6.4 of the GKE benchmark below; a test keeps every reference inside these tables.
 */
export interface CisBenchmark {
  /** How references name it: `CIS EKS`. */
  readonly prefix: string;
  readonly title: string;
  /** kube-bench's name of the version. */
  readonly kubeBench: string;
  readonly recommendations: Readonly<Record<string, string>>;
}

export const CIS_BENCHMARKS: readonly CisBenchmark[] = [
  {
    prefix: 'CIS EKS',
    title: 'CIS Amazon EKS Benchmark v1.8.0',
    kubeBench: 'eks-1.8.0',
    recommendations: {
      '2.1.1': 'Enable audit Logs',
      '2.1.2': 'Ensure audit logs are collected and managed',
      '4.1.7': 'Cluster Access Manager API to streamline and enhance the management of access controls',
      '4.3.1': 'Ensure CNI plugin supports network policies',
      '4.3.2': 'Ensure that all Namespaces have Network Policies defined',
      '5.2.1': 'Prefer using dedicated Amazon EKS Service Accounts',
      '5.3.1': 'Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS',
      '5.4.1': 'Restrict Access to the Control Plane Endpoint',
      '5.4.2': 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      '5.4.3': 'Ensure clusters are created with Private Nodes',
      '5.4.4': 'Ensure Network Policy is Enabled and set as appropriate',
    },
  },
  {
    prefix: 'CIS GKE',
    title: 'CIS Google Kubernetes Engine (GKE) Benchmark v1.9.0',
    kubeBench: 'gke-1.9.0',
    recommendations: {
      '4.3.1': 'Ensure that the CNI in use supports Network Policies',
      '4.3.2': 'Ensure that all Namespaces have Network Policies defined',
      '5.1.4': 'Ensure only trusted container images are used',
      '5.2.1': 'Ensure GKE clusters are not running using the Compute Engine default service account',
      '5.2.2': 'Prefer using dedicated GCP Service Accounts and Workload Identity',
      '5.3.1': 'Ensure Kubernetes Secrets are encrypted using keys managed in Cloud KMS',
      '5.4.1': 'Ensure the GKE Metadata Server is Enabled',
      '5.5.1': 'Ensure Container-Optimized OS (cos_containerd) is used for GKE node images',
      '5.5.2': 'Ensure Node Auto-Repair is enabled for GKE nodes',
      '5.5.3': 'Ensure Node Auto-Upgrade is enabled for GKE nodes',
      '5.5.4': 'When creating New Clusters - Automate GKE version management using Release Channels',
      '5.5.5': 'Ensure Shielded GKE Nodes are Enabled',
      '5.5.6': 'Ensure Integrity Monitoring for Shielded GKE Nodes is Enabled',
      '5.5.7': 'Ensure Secure Boot for Shielded GKE Nodes is Enabled',
      '5.6.2': 'Ensure use of VPC-native clusters',
      '5.6.3': 'Ensure Control Plane Authorized Networks is Enabled',
      '5.6.4': 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      '5.6.5': 'Ensure clusters are created with Private Nodes',
      '5.7.1': 'Ensure Logging and Cloud Monitoring is Enabled',
      '5.8.1': 'Ensure authentication using Client Certificates is Disabled',
      '5.8.3': 'Ensure Legacy Authorization (ABAC) is Disabled',
      '5.9.1': 'Enable Customer-Managed Encryption Keys (CMEK) for GKE Persistent Disks (PD)',
      '5.9.2': 'Enable Customer-Managed Encryption Keys (CMEK) for Boot Disks',
      '5.10.2': 'Ensure that Alpha clusters are not used for production workloads',
      '5.10.4': 'Enable Security Posture',
    },
  },
  {
    prefix: 'CIS AKS',
    title: 'CIS Azure Kubernetes Service (AKS) Benchmark v1.8.0',
    kubeBench: 'aks-1.8',
    recommendations: {
      '2.1.1': 'Enable audit Logs',
      '4.4.2': 'Ensure that all Namespaces have Network Policies defined',
      '5.2.1': 'Prefer using dedicated AKS Service Accounts',
      '5.3.1': 'Ensure Kubernetes Secrets are encrypted',
      '5.4.1': 'Restrict Access to the Control Plane Endpoint',
      '5.4.2': 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      '5.4.3': 'Ensure clusters are created with Private Nodes',
      '5.4.4': 'Ensure Network Policy is Enabled and set as appropriate',
      '5.5.1': 'Manage Kubernetes RBAC users with Azure AD',
      '5.5.2': 'Use Azure RBAC for Kubernetes Authorization',
    },
  },
];

/** `{ benchmark, id }` of a reference such as `CIS GKE 5.6.4`; undefined for other references. */
export function parseCisReference(reference: string): { benchmark: CisBenchmark; id: string } | undefined {
  for (const benchmark of CIS_BENCHMARKS) {
    const m = new RegExp(`^${benchmark.prefix} (\\d+(?:\\.\\d+)*)$`).exec(reference);
    if (m) return { benchmark, id: m[1] };
  }
  return undefined;
}
