import { defineConfig } from 'vitest/config';
import { binaryFiles, INTEGRATION, UNIT } from './vitest.config.ts';

/**
 * The tests as StrykerJS runs them for `npm run test:mutation` (stryker.config.mjs): the unit
 * tests, and the integration tests with the functions in the test worker (in-process-setup.ts),
 * where a mutant can be switched on. The tests of the local stack itself are left out: they test
 * infra/local, which is not mutated — except aws-endpoint.test.ts, whose presigned-URL tests are
 * the ones that notice a weakened upload URL (functions/core/repositories/documents.ts).
 */
/** Lazy schemas are built at every parse in a mutation run (functions/core/lazy-schema.ts). */
const MUTATION_ENV = { MUTATION_RUN: '1' };

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [binaryFiles],
        test: { ...UNIT, env: { ...UNIT.env, ...MUTATION_ENV }, exclude: ['test/unit/local/**'] },
      },
      {
        plugins: [binaryFiles],
        test: {
          ...INTEGRATION,
          env: MUTATION_ENV,
          exclude: ['test/integration/local/!(aws-endpoint).test.ts'],
          setupFiles: ['test/integration/in-process-setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
