import type { TestProject } from 'vitest/node';
import { type LocalStackInfo, stackInfo, startLocalStack } from '../../infra/local/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    local: LocalStackInfo;
  }
}

/** One local stack for the whole integration run: in memory, on free ports, quiet logs. */
export default async function setup(project: TestProject) {
  const stack = await startLocalStack({ logLevel: 'ERROR', retryIntervalMs: 10 });
  project.provide('local', stackInfo(stack));
  return async () => {
    if (process.env.LOCAL_STATS) {
      const { coldStarts, initMs, invocations } = stack.lambdas.totals;
      process.stderr.write(
        `cold starts ${coldStarts}, init ${Math.round(initMs)} ms, invocations ${invocations}\n`,
      );
    }
    await stack.stop();
  };
}
