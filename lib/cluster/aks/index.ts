export * from './aks-config';
export * from './aks-kubeconfig';
export * from './aks-mocks';
export * from './aks-posture';
export * from './aks-roles';
export * from './hardened-aks-cluster';
export * from './provision-aks';
