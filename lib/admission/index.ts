export * from './bulwark-admission-policies';
