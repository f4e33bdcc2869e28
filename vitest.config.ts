import { defineConfig } from 'vitest/config';

/** Pure rules, no I/O. */
export const UNIT = {
  name: 'unit',
  include: ['test/unit/**/*.test.ts'],
  environment: 'node',
  env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
};

/**
 * Handlers, repositories and workflows against the local stack (DynamoDB Local, SES, S3, Cognito,
 * Step Functions, API), started once for the run and stopped at the end.
 */
export const INTEGRATION = {
  name: 'integration',
  include: ['test/integration/**/*.test.ts'],
  environment: 'node',
  globalSetup: ['test/integration/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: UNIT },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          // Synthesizing three stages with cdk-nag takes a few seconds each.
          testTimeout: 60_000,
        },
      },
      { test: INTEGRATION },
    ],
  },
});
