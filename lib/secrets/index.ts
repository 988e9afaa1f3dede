export * from './external-secret';
export * from './secret-provider-class';
export * from './secret-source';
