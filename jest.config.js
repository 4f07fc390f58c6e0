/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/functions/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type errors are caught by `npm run typecheck`; with isolatedModules (functions/tsconfig.json)
    // ts-jest only transpiles, which is much faster.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/functions/tsconfig.json' }],
    // web/*.mjs (the security headers the deploy and the local server share): ESM, which jest cannot require().
    '^.+/web/[^/]+\\.mjs$': '<rootDir>/functions/test/support/esm-to-cjs.cjs',
  },
  globalSetup: '<rootDir>/functions/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/functions/test/support/global-teardown.mjs',
  // Structured log lines of expected failures are kept for assertions, not printed (support/captured-logs.ts).
  // Each file starts with an empty database (support/fresh-database.ts).
  setupFilesAfterEnv: ['<rootDir>/functions/test/support/captured-logs.ts', '<rootDir>/functions/test/support/fresh-database.ts'],
  testTimeout: 30_000,
};
