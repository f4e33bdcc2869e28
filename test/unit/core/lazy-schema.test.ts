import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { lazy } from '../../../functions/core/lazy-schema.ts';
import { PARSE } from '../../../functions/core/parse-options.ts';

const counted = () => {
  let builds = 0;
  const schema = lazy(() => {
    builds++;
    return z.object({ name: z.string() });
  });
  return { schema, builds: () => builds };
};

describe('lazy schemas', () => {
  // A mutation run sets it for every test (vitest.mutation.config.ts).
  const mutationRun = process.env.MUTATION_RUN;
  afterEach(() => {
    if (mutationRun === undefined) delete process.env.MUTATION_RUN;
    else process.env.MUTATION_RUN = mutationRun;
  });

  it('are built on their first parse, once', () => {
    delete process.env.MUTATION_RUN;
    const { schema, builds } = counted();
    expect(builds()).toBe(0);

    expect(schema.parse({ name: 'Ada' }, PARSE)).toEqual({ name: 'Ada' });
    expect(schema.safeParse({ name: 1 }, PARSE).success).toBe(false);
    expect(builds()).toBe(1);
  });

  it('are built anew at every parse in a mutation run, so each test that parses reaches them', () => {
    process.env.MUTATION_RUN = '1';
    const { schema, builds } = counted();

    expect(schema.parse({ name: 'Ada' }, PARSE)).toEqual({ name: 'Ada' });
    expect(schema.safeParse({ name: 1 }, PARSE).success).toBe(false);
    expect(builds()).toBe(2);
  });
});
