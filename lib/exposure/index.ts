export * from './hardened-ingress';
