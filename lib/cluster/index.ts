// Cloud-neutral cluster pieces only: importing this never loads a cloud SDK. The components are in ./eks, ./gke and
// ./aks, each importing its own SDK.
export * from './baseline';
export * from './bulwark-component';
export * from './config';
export * from './contracts';
export * from './mock-ids';
export * from './node-pool-taints';
export * from './plan';
export * from './posture';
export * from './program';
