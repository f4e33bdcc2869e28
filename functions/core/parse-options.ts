/**
 * How every schema here parses: without zod's compiled fast path. zod compiles one (with
 * `new Function`) for each object schema the first time it parses, which costs a cold
 * function's first call about 15 ms (issue 16, measured on POST /v1/orders); the interpreted
 * parse of a request's few small objects costs microseconds, so the compiled path never pays
 * back over a function's life. Pass it to every `parse` and `safeParse`.
 */
export const PARSE = { jitless: true } as const;
