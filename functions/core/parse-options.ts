import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * How every schema here parses: without zod's compiled fast path. zod compiles one (with
 * `new Function`) for each object schema the first time it parses, which costs a cold
 * function's first call about 15 ms (issue 16, measured on POST /v1/orders); the interpreted
 * parse of a request's few small objects costs microseconds, so the compiled path never pays
 * back over a function's life. Pass it to every `parse` and `safeParse`.
 */
export const PARSE = { jitless: true } as const;

// zod/mini loads no language for its messages ("Invalid input" for every issue); the API's
// field errors are zod's English ones, as with classic zod, which sets the same locale.
z.config(en());
