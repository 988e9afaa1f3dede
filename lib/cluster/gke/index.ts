export * from './gke-config';
export * from './gke-kubeconfig';
export * from './gke-mocks';
export * from './gke-posture';
export * from './hardened-gke-cluster';
export * from './provision-gke';
