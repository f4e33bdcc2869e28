import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../../functions/core/concurrency.ts';

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight, and answers in the items’ order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([30, 5, 20, 1, 10, 15, 2], 3, async (ms) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      return ms * 2;
    });

    expect(results).toEqual([60, 10, 40, 2, 20, 30, 4]);
    expect(most).toBe(3);
  });

  it('does nothing for no items, and fails as the first failing call fails', async () => {
    expect(await mapLimit([], 5, async () => 1)).toEqual([]);
    await expect(
      mapLimit([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two');
        return n;
      }),
    ).rejects.toThrow('two');
  });
});
