import { describe, expect, it } from 'vitest';
import { addDays } from '../../../functions/core/dates.ts';
import { dueForRenewal, RENEWAL_WINDOW_DAYS } from '../../../functions/core/renewals.ts';

describe('to pay: products due for renewal (R23)', () => {
  const today = '2026-11-26';
  const product = (inDays: number, status: 'active' | 'expired' | 'terminated' = 'active') => ({
    status,
    expiresOn: addDays(today, inDays),
  });

  it(`offers a product whose term ends in exactly ${RENEWAL_WINDOW_DAYS} days, and not one day later`, () => {
    expect(dueForRenewal(product(RENEWAL_WINDOW_DAYS), today)).toBe(true);
    expect(dueForRenewal(product(RENEWAL_WINDOW_DAYS + 1), today)).toBe(false);
  });

  it('offers a product whose term has already ended, but never a terminated one', () => {
    expect(dueForRenewal(product(-3, 'expired'), today)).toBe(true);
    expect(dueForRenewal(product(5, 'terminated'), today)).toBe(false);
  });
});
