import { describe, expect, it } from 'vitest';
import { cost } from '../../../bench/pricing.ts';

describe('bench pricing (issue 16 list prices)', () => {
  it('prices a million API calls of one read unit and one write unit, 100 ms at 1 GB', () => {
    const perCall = cost({
      readUnits: 1,
      writeUnits: 1,
      lambdaInvocations: 1,
      lambdaMs: 100,
      memoryMb: 1024,
      apiRequests: 1,
    });
    // 0.125 + 0.625 DynamoDB, 0.20 + 1.33334 Lambda, 1.00 HTTP API.
    expect(perCall * 1e6).toBeCloseTo(3.28334, 5);
  });

  it('prices workflow transitions and e-mails', () => {
    expect(cost({ transitions: 1000, emails: 1000 })).toBeCloseTo(0.025 + 0.1, 10);
  });
});
