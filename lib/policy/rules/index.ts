export * from './pss-baseline-privileged';
export * from './service-nodeport';
