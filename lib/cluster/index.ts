// Cloud-neutral cluster pieces only: importing this never loads a cloud SDK. The components are in ./eks and ./gke
// (and ./aks), each importing its own SDK.
export * from './baseline';
export * from './bulwark-component';
export * from './config';
export * from './plan';
export * from './posture';
export * from './program';
