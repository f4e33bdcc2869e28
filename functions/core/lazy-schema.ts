import * as z from 'zod/mini';

/**
 * A schema built on its first parse (`z.lazy`): a function builds only the shared schemas its
 * own calls use (issue 16, decision 91).
 *
 * In a mutation run (`npm run test:mutation`, which sets `MUTATION_RUN`) it is built anew at
 * every parse instead. StrykerJS switches a mutant on and runs only the tests that reached it;
 * a schema built once would count as reached by the first test of a file that parsed it, and
 * the tests after it, which may be the ones that notice the mutant, would not run for it
 * (docs/testing.md).
 *
 * Mark each call pure (a `@__PURE__` comment before it): esbuild does not carry a function's
 * own "no side effects" mark to another module, so the mark at the call is what lets a bundle
 * that uses none of a module's schemas drop them, and zod with them (decision 94).
 */
export function lazy<T extends z.core.SomeType>(build: () => T): z.ZodMiniLazy<T> {
  const schema = z.lazy(build);
  if (process.env.MUTATION_RUN === '1') {
    Object.defineProperty(schema._zod, 'innerType', { get: build, configurable: true });
  }
  return schema;
}
