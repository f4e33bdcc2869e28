import { describe, expect, it } from 'vitest';
import { PARSE } from '#core/parse-options.ts';
import { OrderRequest } from '#core/services/order-request.ts';
import { ADDRESS } from '#test/fixtures/routes.ts';

/** The cart as POST /v1/orders and the quote read it (R15, R17): what each refusal says, and where. */
const ORG = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const DOMAIN = { type: 'domain', name: 'example.ch', periodMonths: 12 };
const HOSTING = { type: 'web-hosting', name: 'example.ch', periodMonths: 12 };
const PERSON = { kind: 'person', firstName: 'Ada', lastName: 'Lovelace' };
const base = { organizationId: ORG, items: [DOMAIN], paymentMethod: 'iban' };

/** The refusals as `path: message`, in order. */
function refusals(input: unknown): string[] {
  const result = OrderRequest.safeParse(input, PARSE);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('/')}: ${i.message}`);
}

describe('an order request (R15)', () => {
  it('takes an existing account’s cart as it is, and a first order with its address and CHF by default', () => {
    expect(OrderRequest.parse(base, PARSE)).toEqual(base);
    const first = OrderRequest.parse(
      { newAccount: { holder: PERSON }, items: [DOMAIN], paymentMethod: 'iban', billingAddress: ADDRESS },
      PARSE,
    );
    expect(first.newAccount).toEqual({ holder: PERSON, currency: 'CHF' });
  });

  it('refuses the same product twice, whatever the case of its name, on the second one', () => {
    expect(refusals({ ...base, items: [DOMAIN, { ...DOMAIN, name: 'Example.CH' }] })).toEqual([
      'items/1/name: This product is already in the order.',
    ]);
    // The same name as another type of product is another product.
    expect(refusals({ ...base, items: [DOMAIN, HOSTING] })).toEqual([]);
  });

  it('needs exactly one of organizationId and newAccount', () => {
    const neither = { items: [DOMAIN], paymentMethod: 'iban' };
    const both = { ...base, newAccount: { holder: PERSON }, billingAddress: ADDRESS };
    expect(refusals(neither)).toEqual(['organizationId: Give organizationId or newAccount, not both.']);
    expect(refusals(both)).toEqual(['organizationId: Give organizationId or newAccount, not both.']);
  });

  it('takes one billing address, by id or in full, and a first order needs one in full', () => {
    expect(refusals({ ...base, billingAddressId: ORG, billingAddress: ADDRESS })).toEqual([
      'billingAddress: Give billingAddressId or billingAddress, not both.',
    ]);
    expect(refusals({ newAccount: { holder: PERSON }, items: [DOMAIN], paymentMethod: 'iban' })).toEqual([
      'billingAddress: A first order needs a billing address.',
    ]);
    expect(
      refusals({
        newAccount: { holder: PERSON },
        items: [DOMAIN],
        paymentMethod: 'iban',
        billingAddressId: ORG,
      }),
    ).toEqual(['billingAddress: A first order needs a billing address.']);
  });

  it('reads a promo code as the customer types it, upper-cased and trimmed (R17), and refuses what cannot be one', () => {
    expect(OrderRequest.parse({ ...base, promoCode: ' summer-24 ' }, PARSE).promoCode).toBe('SUMMER-24');
    expect(refusals({ ...base, promoCode: 'ab' })).toEqual(['promoCode: Not a promo code.']);
    expect(refusals({ ...base, promoCode: 'SUMMER 24' })).toEqual(['promoCode: Not a promo code.']);
    // The whole code, not a run of it at either end.
    expect(refusals({ ...base, promoCode: 'SUMMER 2024' })).toEqual(['promoCode: Not a promo code.']);
    expect(refusals({ ...base, promoCode: 'SUMMER24 NOW' })).toEqual(['promoCode: Not a promo code.']);
  });

  it('checks each item’s name as its product type names things, on that item', () => {
    expect(
      OrderRequest.parse({ ...base, items: [{ ...DOMAIN, name: 'Example.CH' }] }, PARSE).items[0]?.name,
    ).toBe('example.ch');
    const [refusal] = refusals({ ...base, items: [DOMAIN, { ...DOMAIN, name: 'not a domain' }] });
    expect(refusal).toMatch(/^items\/1\/name: /);
  });

  it('orders 1 to 20 items', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ ...DOMAIN, name: `d${i}.ch` }));
    expect(refusals({ ...base, items: items(20) })).toEqual([]);
    expect(refusals({ ...base, items: items(21) })).toHaveLength(1);
    expect(refusals({ ...base, items: [] })).toHaveLength(1);
  });
});
