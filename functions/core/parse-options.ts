import en from 'zod/v4/locales/en.js';

/**
 * How every schema here parses; pass it to every `parse` and `safeParse`.
 * - Without zod's compiled fast path: zod compiles one (with `new Function`) for each object
 *   schema the first time it parses, which costs a cold function's first call about 15 ms
 *   (issue 16, measured on POST /v1/orders); the interpreted parse of a request's few small
 *   objects costs microseconds, so the compiled path never pays back over a function's life.
 * - In zod's English words, as classic zod gives them: `zod/mini` loads no language ("Invalid
 *   input" for every issue). Given per parse rather than set globally (`z.config`), so that
 *   importing this module builds no schema and a route that parses nothing bundles no zod
 *   (decision 94); a message a schema gives itself still comes first.
 */
export const PARSE = { jitless: true, error: en().localeError } as const;
