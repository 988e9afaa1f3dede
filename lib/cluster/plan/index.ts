export * from './apply-paths';
export * from './plan-diff';
export * from './plan-mocks';
export * from './plan-report';
export * from './plan-stack';
export * from './pulumi-project';
export * from './run-under-mocks';
