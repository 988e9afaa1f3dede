export * from './hardened-cron-job';
export * from './hardened-deployment';
export * from './hardened-job';
export * from './hardened-pod';
export * from './hardened-stateful-set';
export * from './hardened-workload';
export * from './health-probe';
