export * from './network-peer';
export * from './workload-network-policies';
