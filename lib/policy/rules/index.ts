export * from './pss';
export * from './service-nodeport';
