import { describe, expect, it } from 'vitest';
import type { Credit, PromoCode } from '../../../functions/core/entities/billing.ts';
import { priceCart } from '../../../functions/core/pricing.ts';

const now = new Date('2026-11-24T10:00:00Z');
const credit = (overrides: Partial<Credit> = {}): Credit => ({
  creditId: 'C1',
  organizationId: 'O1',
  productType: 'domain',
  amount: { amount: 1000, currency: 'CHF' },
  grantedBy: 'staff',
  grantedAt: now.toISOString(),
  ...overrides,
});
const promo = (overrides: Partial<PromoCode> = {}): PromoCode => ({
  code: 'WELCOME',
  percentOff: 2000,
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00Z',
  productTypes: ['web-hosting'],
  minimumAmount: 0,
  maxRedemptions: 10,
  maxPerAccount: 1,
  redemptions: 0,
  ...overrides,
});
const ctx = (extra: { credits?: Credit[]; promo?: PromoCode } = {}) => ({
  currency: 'CHF' as const,
  credits: new Map((extra.credits ?? []).map((c) => [c.creditId, c])),
  ...(extra.promo ? { promo: extra.promo } : {}),
  now,
});

describe('priceCart', () => {
  it('prices each line from the catalog with VAT per line (R19)', () => {
    const cart = priceCart(
      [
        { type: 'domain', name: 'example.ch', periodMonths: 12 },
        { type: 'web-hosting', name: 'site', periodMonths: 12 },
      ],
      ctx(),
    );

    expect(cart.problems).toEqual([]);
    expect(cart.lines.map((l) => [l.gross, l.vat, l.total])).toEqual([
      [1800, 146, 1946],
      [10_800, 875, 11_675],
    ]);
    expect(cart).toMatchObject({ net: 12_600, vat: 1021, total: 13_621 });
  });

  it('applies a free credit only on an item of its product type (R16)', () => {
    const cart = priceCart(
      [
        { type: 'web-hosting', name: 'site', periodMonths: 12, creditId: 'C1' },
        { type: 'domain', name: 'example.ch', periodMonths: 12, creditId: 'C1' },
      ],
      ctx({ credits: [credit()] }),
    );

    expect(cart.problems).toEqual([
      { pointer: '/body/items/0/creditId', detail: 'This credit is for domain, not web-hosting.' },
    ]);
    expect(cart.lines[1]).toMatchObject({
      gross: 1800,
      creditDiscount: 1000,
      net: 800,
      vat: 65,
      creditId: 'C1',
    });
  });

  it('uses a credit once per order, and a free-months credit covers that many months', () => {
    const months = credit({ creditId: 'C2', amount: undefined, freeMonths: 6, productType: 'web-hosting' });
    const cart = priceCart(
      [
        { type: 'web-hosting', name: 'a', periodMonths: 12, creditId: 'C2' },
        { type: 'web-hosting', name: 'b', periodMonths: 12, creditId: 'C2' },
      ],
      ctx({ credits: [months] }),
    );

    expect(cart.lines[0]).toMatchObject({ creditDiscount: 5400, net: 5400 });
    expect(cart.problems).toEqual([
      { pointer: '/body/items/1/creditId', detail: 'This credit is already applied to another item.' },
    ]);
  });

  it('a credit never makes a line negative', () => {
    const cart = priceCart(
      [{ type: 'domain', name: 'x.ch', periodMonths: 12, creditId: 'C1' }],
      ctx({ credits: [credit({ amount: { amount: 99_999, currency: 'CHF' } })] }),
    );

    expect(cart.lines[0]).toMatchObject({ creditDiscount: 1800, net: 0, vat: 0, total: 0 });
  });

  it('applies a promo code to eligible items only, after credits (R17)', () => {
    const cart = priceCart(
      [
        { type: 'web-hosting', name: 'site', periodMonths: 12 },
        { type: 'domain', name: 'example.ch', periodMonths: 12 },
      ],
      ctx({ promo: promo() }),
    );

    expect(cart.lines.map((l) => l.promoDiscount)).toEqual([2160, 0]);
    expect(cart.lines[0]).toMatchObject({ net: 8640, vat: 700 });
  });

  it.each([
    ['not valid yet', promo({ validFrom: '2026-12-01T00:00:00Z' }), 'not valid yet'],
    ['expired', promo({ validUntil: '2026-11-01T00:00:00Z' }), 'expired'],
    ['for other products', promo({ productTypes: ['backup'] }), 'applies to backup only'],
    ['under its minimum', promo({ minimumAmount: 50_000 }), 'minimum amount'],
  ])('reports a promo code that is %s on /body/promoCode', (_, code, reason) => {
    const cart = priceCart([{ type: 'web-hosting', name: 'site', periodMonths: 12 }], ctx({ promo: code }));

    expect(cart.problems).toEqual([{ pointer: '/body/promoCode', detail: expect.stringContaining(reason) }]);
    expect(cart.lines[0]?.promoDiscount).toBe(0);
  });

  it('a promo code applies at exactly its minimum, and not one centime below it (R17)', () => {
    const site = [{ type: 'web-hosting' as const, name: 'site', periodMonths: 12 }];
    const base = priceCart(site, ctx()).lines[0]?.gross ?? 0;

    expect(priceCart(site, ctx({ promo: promo({ minimumAmount: base }) })).problems).toEqual([]);
    expect(priceCart(site, ctx({ promo: promo({ minimumAmount: base + 1 }) })).problems).toEqual([
      {
        pointer: '/body/promoCode',
        detail: 'The order does not reach the minimum amount of this promo code.',
      },
    ]);
  });

  it('a promo code is valid from its first instant and no longer at its end (R17)', () => {
    const site = [{ type: 'web-hosting' as const, name: 'site', periodMonths: 12 }];
    const at = now.toISOString();

    expect(priceCart(site, ctx({ promo: promo({ validFrom: at }) })).problems).toEqual([]);
    expect(priceCart(site, ctx({ promo: promo({ validUntil: at }) })).problems).toEqual([
      { pointer: '/body/promoCode', detail: 'This promo code has expired.' },
    ]);
  });

  it('refuses a renewal period the catalog does not sell', () => {
    const cart = priceCart([{ type: 'domain', name: 'x.ch', periodMonths: 1 }], ctx());

    expect(cart.problems).toEqual([
      { pointer: '/body/items/0/periodMonths', detail: 'Domain name is sold for 12, 24, 36, 60 months.' },
    ]);
  });
});
