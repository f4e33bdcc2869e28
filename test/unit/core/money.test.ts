import { describe, expect, it } from 'vitest';
import { divideHalfUp, formatMoney, money, percentOf, vatOf } from '../../../functions/core/money.ts';
import {
  creditorReference,
  isCreditorReference,
  isValidIban,
} from '../../../functions/core/payment-reference.ts';

describe('money (R19)', () => {
  it('computes VAT per line in centimes, rounded half up', () => {
    expect(vatOf(1800, 810)).toBe(146); // 1800 × 8.1 % = 145.8 → 146
    expect(vatOf(10_000, 810)).toBe(810);
    expect(vatOf(6173, 810)).toBe(500); // 500.013 → 500
    expect(vatOf(6167, 810)).toBe(500); // 499.527 → 500 (half up)
    expect(vatOf(0, 810)).toBe(0);
  });

  it('rounds exact halves up', () => {
    expect(divideHalfUp(5, 10)).toBe(1);
    expect(divideHalfUp(15, 10)).toBe(2);
    expect(divideHalfUp(14, 10)).toBe(1);
    expect(percentOf(1999, 5000)).toBe(1000); // 50 % of 19.99 = 9.995 → 10.00
  });

  it('divides only a non-negative amount by a positive number', () => {
    expect(() => divideHalfUp(-1, 10)).toThrow('non-negative');
    expect(() => divideHalfUp(1, 0)).toThrow('non-negative');
    expect(() => divideHalfUp(1, -10)).toThrow('non-negative');
    expect(divideHalfUp(0, 10)).toBe(0);
  });

  it('refuses amounts that are not integer minor units', () => {
    expect(() => money(12.5, 'CHF')).toThrow();
    expect(money(1250, 'EUR')).toEqual({ amount: 1250, currency: 'EUR' });
  });

  it('formats amounts with Swiss digit grouping', () => {
    expect(formatMoney(123_456_789, 'CHF')).toBe("CHF 1'234'567.89");
    expect(formatMoney(5, 'EUR')).toBe('EUR 0.05');
    expect(formatMoney(-1250, 'CHF')).toBe('CHF -12.50');
    expect(formatMoney(0, 'CHF')).toBe('CHF 0.00');
  });
});

describe('creditor references (ISO 11649)', () => {
  it('makes references whose check digits validate', () => {
    const reference = creditorReference('INV00000042');
    expect(reference).toMatch(/^RF\d{2}INV00000042$/);
    expect(isCreditorReference(reference)).toBe(true);
  });

  it('matches the standard’s example', () => {
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
  });

  it('rejects a reference with a wrong check or a typo', () => {
    expect(isCreditorReference('RF19539007547034')).toBe(false);
    expect(isCreditorReference('RF18539007547035')).toBe(false);
    expect(isCreditorReference('hello')).toBe(false);
    // Only a whole reference: nothing before RF, nothing after the body, two check digits.
    expect(isCreditorReference('XRF18539007547034')).toBe(false);
    expect(isCreditorReference('RF18539007547034!')).toBe(false);
    expect(isCreditorReference('RF1853900754703')).toBe(false);
    expect(isCreditorReference('rf18 5390 0754 7034')).toBe(true);
  });

  it('makes a reference only from a body of 1 to 21 letters and digits', () => {
    expect(() => creditorReference('INV-42')).toThrow('Not a reference body');
    expect(() => creditorReference(`A${'1'.repeat(21)}`)).toThrow('Not a reference body');
    expect(() => creditorReference('')).toThrow('Not a reference body');
  });
});

describe('IBAN check digits', () => {
  it('accepts a valid IBAN with or without spaces and refuses a typo', () => {
    expect(isValidIban('CH93 0076 2011 6238 5295 7')).toBe(true);
    expect(isValidIban('CH9300762011623852958')).toBe(false);
    expect(isValidIban('CH00')).toBe(false);
    expect(isValidIban('XCH93 0076 2011 6238 5295 7')).toBe(false);
    expect(isValidIban('CH9300762011623852957 1')).toBe(false);
  });
});
