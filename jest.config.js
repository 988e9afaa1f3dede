/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Each rule's test lives in its folder, lib/policy/rules/<id>/<id>.test.ts, beside the rule.
  roots: ['<rootDir>/test', '<rootDir>/lib'],
  testMatch: ['**/*.test.ts'],
  // tsconfig has isolatedModules: true, so ts-jest only transpiles; `npm run typecheck` is the type gate.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // Jest's default leaves a core idle (cores - 1); the suite is CPU-bound and this machine has 2.
  maxWorkers: '100%',
};
