export * from './network-peer';
export * from './workload-network-policies';
export * from './istio-strict-mtls';
