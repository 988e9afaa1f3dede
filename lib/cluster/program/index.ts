export * from './baseline-stack';
export * from './cloud-support';
export * from './cluster-config';
export * from './cluster-program';
export * from './provisioned-cluster';
