import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { logger } from '#core/logger.ts';
import { publishMetrics } from '#core/metrics.ts';
import { PARSE } from '#core/parse-options.ts';

/** A step given an input it cannot have been meant to get: a bug, which no retry fixes. */
export class InvalidTaskInput extends Error {
  override name = 'InvalidTaskInput';
}

/**
 * A workflow step's handler, as `route()` is an API route's: the input is parsed with its zod
 * schema before `fn` runs, the logger carries the Lambda context, the business events it counted
 * are published when it ends (functions/core/metrics.ts), and what `fn` throws ends the
 * invocation with the error's `name` — the name a state's Retry and Catch match on.
 */
export function task<S extends z.ZodMiniType, R>(input: S, fn: (input: z.output<S>) => Promise<R>) {
  return middy<unknown, R, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(publishMetrics())
    .handler(async (event) => {
      const parsed = input.safeParse(event ?? {}, PARSE);
      if (!parsed.success) throw new InvalidTaskInput(parsed.error.message);
      return fn(parsed.data);
    });
}
