export * from './pss-baseline-privileged';
