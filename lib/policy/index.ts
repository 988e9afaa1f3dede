export * from './catalog';
export * from './engine';
export * from './exemptions';
export * from './k8s-object';
export * from './object-index';
export * from './pod-template';
export * from './pss-version';
export * from './rule';
