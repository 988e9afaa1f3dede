export * from './admission-policies';
export * from './cel-literal';
export * from './cel-translation';
export * from './pod-cel';
export * from './translations';
