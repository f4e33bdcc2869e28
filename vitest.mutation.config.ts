import { defineConfig } from 'vitest/config';

/**
 * The tests as StrykerJS runs them for `npm run test:mutation` (stryker.config.json): the unit
 * tests, and the integration tests with the functions in the test worker (in-process-setup.ts),
 * where a mutant can be switched on. The tests of the local stack itself are left out: they test
 * infra/local, which is not mutated.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/local/**'],
          environment: 'node',
          env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: ['test/integration/local/**'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/integration/in-process-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
