import * as z from 'zod/mini';

/**
 * Money (R19): integer minor units (centimes) and an ISO currency. No floating point anywhere;
 * the only conversions to francs are at the edge of libraries that want them (QR-bill).
 *
 * VAT rule: VAT is computed per invoice line on the line's net amount (after credits and
 * promo discounts) as `net × rate / 10 000` (rate in basis points: 810 = 8.1 %), rounded half
 * up to the centime. The invoice's VAT is the sum of its lines' VAT; its total is net + VAT.
 * Discounts in percent are rounded the same way, in the customer's favour only through that
 * rounding (half up of the discount).
 */
export const Currency = /* @__PURE__ */ z.enum(['CHF', 'EUR']);
export type Currency = z.infer<typeof Currency>;

/**
 * An amount in minor units, as requests carry it: a non-negative safe integer. The message is
 * the integer check's alone: given to `z.int(…)` it would answer every issue of the amount.
 */
export const MinorUnits = /* @__PURE__ */ z
  .number()
  .check(
    /* @__PURE__ */ z.int('Amounts are integer minor units (centimes).'),
    /* @__PURE__ */ z.gte(0),
    /* @__PURE__ */ z.lte(1e12),
  );

export interface Money {
  amount: number;
  currency: Currency;
}

export function money(amount: number, currency: Currency): Money {
  if (!Number.isSafeInteger(amount)) throw new Error(`Not an amount in minor units: ${amount}`);
  return { amount, currency };
}

/** Integer division rounded half up, for non-negative numerators. */
export function divideHalfUp(numerator: number, denominator: number): number {
  if (numerator < 0 || denominator <= 0) throw new Error('divideHalfUp takes a non-negative numerator');
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** VAT of one line (see the rule above). */
export const vatOf = (net: number, rateBasisPoints: number): number =>
  divideHalfUp(net * rateBasisPoints, 10_000);

/** A percentage (basis points) of an amount, rounded half up. */
export const percentOf = (amount: number, basisPoints: number): number =>
  divideHalfUp(amount * basisPoints, 10_000);

export const sum = (amounts: number[]): number => amounts.reduce((a, b) => a + b, 0);

/** `1234` CHF → `CHF 12.34`, for documents and e-mails. */
export function formatMoney(amount: number, currency: Currency): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const units = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  const grouped = String(units).replace(/\B(?=(\d{3})+(?!\d))/g, "'");
  return `${currency} ${sign}${grouped}.${cents}`;
}
