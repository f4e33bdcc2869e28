import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { PARSE } from '#core/parse-options.ts';

/**
 * Decision 91: every schema parse of the functions and workflow steps passes PARSE, so no cold
 * start compiles zod's fast parsers. A parse written without it would still work, only slower to
 * start: nothing else would notice.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const sources = ['functions', 'workflows'].flatMap((dir) =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f)),
);

describe('schema parsing (decision 91)', () => {
  it('passes PARSE at every parse and safeParse of the functions and workflow steps', () => {
    const calls = sources.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          [...line.matchAll(/(\w+)\.(?:safeParse|parse)(?:Async)?\(/g)]
            .filter((m) => m[1] !== 'JSON')
            .map(() => ({ at: `${relative(ROOT, file)}:${i + 1}`, line })),
        ),
    );
    expect(calls.length).toBeGreaterThan(5);
    expect(calls.filter((c) => !/,\s*PARSE\)/.test(c.line)).map((c) => c.at)).toEqual([]);
  });

  it('answers as the compiled parser does', () => {
    const Schema = z.object({ name: z.string().check(z.minLength(1)), age: z.optional(z.int()) });
    for (const input of [{ name: 'Ada', age: 36 }, { name: '' }, { name: 'Ada', age: 1.5 }, 'Ada']) {
      expect(Schema.safeParse(input, PARSE)).toEqual(Schema.safeParse(input, { error: PARSE.error }));
    }
  });
});
