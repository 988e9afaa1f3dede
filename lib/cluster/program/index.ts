export * from './cloud-support';
export * from './cluster-program';
export * from './mock-ids';
export * from './provisioned-cluster';
