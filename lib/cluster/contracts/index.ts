export * from './cloud-contracts';
