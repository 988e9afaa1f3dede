export * from './baseline-content';
export * from './baseline-posture';
export * from './cluster-baseline';
