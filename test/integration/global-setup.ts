import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../infra/local/stack.ts';

export interface LocalStackInfo {
  apiUrl: string;
  mailboxUrl: string;
  endpoints: Record<'dynamodb' | 'ses' | 's3' | 'cognito' | 'sfn', string>;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  tableName: string;
  documentsBucket: string;
  stateMachines: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    local: LocalStackInfo;
  }
}

/** One local stack for the whole integration run: in memory, on free ports, quiet logs. */
export default async function setup(project: TestProject) {
  const stack = await startLocalStack({ logLevel: 'ERROR', retryIntervalMs: 10 });
  const { stop, stepFunctions: _, ...info } = stack;
  project.provide('local', info);
  return stop;
}
