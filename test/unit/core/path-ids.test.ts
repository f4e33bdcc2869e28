import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { PARSE } from '#core/parse-options.ts';
import { type PathId, pathIds } from '#core/path-ids.ts';
import { PATH_ID_SCHEMAS } from '#core/schemas.ts';

/**
 * Decision 94: a path's ids are checked without zod, and described in the contract by zod
 * schemas. Both must answer alike: the same ids taken, the same words for the others.
 */
const GIVEN = [
  '01J00000000000000000000001',
  '01HZZZZZZZZZZZZZZZZZZZZZZZ',
  '01hzzzzzzzzzzzzzzzzzzzzzzz',
  '01HZZZZZZZZZZZZZZZZZZZZZZI',
  '01HZZZZZZZZZZZZZZZZZZZZZZU',
  '01HZZZZZZZZZZZZZZZZZZZZZZ',
  '01HZZZZZZZZZZZZZZZZZZZZZZZZ',
  ' 01HZZZZZZZZZZZZZZZZZZZZZZ',
  '3f1c2a9e-7b4d-4c8e-9f21-0a6b5c4d3e2f',
  '3F1C2A9E-7B4D-4C8E-9F21-0A6B5C4D3E2F',
  '3f1c2a9e-7b4d-9c8e-9f21-0a6b5c4d3e2f',
  '3f1c2a9e-7b4d-4c8e-7f21-0a6b5c4d3e2f',
  '00000000-0000-0000-0000-000000000000',
  '3f1c2a9e7b4d4c8e9f210a6b5c4d3e2f',
  '',
  'abc',
  '../ORG',
];

describe('path ids (decision 94)', () => {
  it.each(Object.keys(PATH_ID_SCHEMAS) as PathId[])('%s answers as its schema in the contract', (id) => {
    const schema = z.object({ [id]: PATH_ID_SCHEMAS[id] });
    for (const value of GIVEN) {
      const ours = pathIds(id).safeParse({ [id]: value });
      const zods = schema.safeParse({ [id]: value }, PARSE);

      expect({ value, success: ours.success }).toEqual({ value, success: zods.success });
      if (!ours.success && !zods.success) {
        expect(ours.error.issues.map((i) => [i.path, i.message])).toEqual(
          zods.error.issues.map((i) => [i.path, i.message]),
        );
      }
    }
  });

  it('takes a path whose ids are all well formed, and names each one that is not', () => {
    const path = pathIds('orgId', 'userId');
    const org = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
    const user = '3f1c2a9e-7b4d-4c8e-9f21-0a6b5c4d3e2f';

    expect(path.safeParse({ orgId: org, userId: user, other: 'x' })).toEqual({
      success: true,
      data: { orgId: org, userId: user },
    });
    expect(path.safeParse({ orgId: 'x', userId: 'y' })).toEqual({
      success: false,
      error: {
        issues: [
          { path: ['orgId'], message: 'Expected an id (ULID).' },
          { path: ['userId'], message: 'Expected a user id.' },
        ],
      },
    });
  });
});
