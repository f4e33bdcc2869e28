import { defineConfig } from 'vitest/config';
import { binaryFiles, UNIT } from './vitest.config.ts';

/**
 * The quick mutation run (`npm run test:mutation:rules`, stryker.rules.config.json): only the unit
 * tests, over the pure rule modules they guard. A lower bound of the full run's score for those
 * modules (integration tests guard them too), in minutes instead of hours.
 */
export default defineConfig({
  test: {
    projects: [
      { plugins: [binaryFiles], test: { ...UNIT, exclude: ['test/unit/local/**', 'test/unit/docs/**'] } },
    ],
  },
});
