import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../constructs/manager-function.ts';

/**
 * The CDK feature flags of cdk.json (every flag aws-cdk-lib recommends), for every way the app
 * is synthesized: the CLI reads cdk.json itself, the infra tests and the local stack build the
 * app in-process and take the flags from here — so all three synthesize the same template.
 */
export const FEATURE_FLAGS: Record<string, unknown> = Object.fromEntries(
  Object.entries(
    (JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
      .context,
  ).filter(([key]) => key.startsWith('@aws-cdk')),
);
