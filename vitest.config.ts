import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

/** Font files imported as bytes, as esbuild's binary loader bundles them (BUNDLING.loader). */
export const binaryFiles: Plugin = {
  name: 'binary-files',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.woff')) return undefined;
    const base64 = readFileSync(id).toString('base64');
    return `export default new Uint8Array(Buffer.from(${JSON.stringify(base64)}, 'base64'));`;
  },
};

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
      { plugins: [binaryFiles], test: UNIT },
      {
        // The OpenAPI test loads every handler, the PDF ones with their fonts.
        plugins: [binaryFiles],
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          // Synthesizing three stages with cdk-nag takes a few seconds each.
          testTimeout: 60_000,
        },
      },
      { plugins: [binaryFiles], test: INTEGRATION },
    ],
  },
});
