/** @type {import('jest').Config} */
// The browser tests (`npm run test:web`): Chromium driven by Playwright against `npm start`'s whole
// local stack (emulators, functions, MailDev, the built web client), started once on free ports.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/web/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/web/test/tsconfig.json' }] },
  globalSetup: '<rootDir>/web/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/web/test/support/global-teardown.mjs',
  setupFilesAfterEnv: ['<rootDir>/web/test/support/after-each-file.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
