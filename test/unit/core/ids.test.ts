import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../functions/core/ids.ts';

/** Ids are ULIDs whose random part comes from node:crypto (functions/core/ids.ts). */
describe('newId', () => {
  it('gives valid ULIDs stamped with the time they were made', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(isValid(id)).toBe(true);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(id)).toBeGreaterThanOrEqual(before);
    expect(decodeTime(id)).toBeLessThanOrEqual(after);
  });

  it('draws every one of the 16 random characters from all 32 letters, never the same id twice', () => {
    const ids = Array.from({ length: 4000 }, newId);
    expect(new Set(ids).size).toBe(ids.length);
    for (let position = 10; position < 26; position++) {
      const letters = new Set(ids.map((id) => id[position]));
      // 4000 draws of 32 letters: a letter missing by chance has odds of about 1e-53.
      expect(letters.size, `random character ${position - 9}`).toBe(32);
    }
  });

  it('sorts ids made in later milliseconds after earlier ones', async () => {
    const first = newId();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = newId();
    expect(first < second).toBe(true);
  });
});
