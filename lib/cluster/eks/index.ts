export * from './eks-config';
export * from './eks-kubeconfig';
export * from './eks-mocks';
export * from './eks-posture';
export * from './hardened-eks-cluster';
export * from './provision-eks';
