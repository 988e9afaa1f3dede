export * from '../../k8s/cidr';
export * from './common-config';
export * from './config-error';
export * from './config-reader';
export * from './pulumi-config-source';
export * from './stack-file';
