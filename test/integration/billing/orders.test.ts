import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { paymentReferenceKeys } from '../../../functions/core/entities/invoice.ts';
import { organizationKeys } from '../../../functions/core/entities/organization.ts';
import { newId } from '../../../functions/core/ids.ts';
import {
  ADDRESS,
  accountOwner,
  addMember,
  api,
  auditLog,
  bankPayment,
  control,
  customer,
  failCalls,
  firstAddressId,
  firstOrderBody,
  losingEveryAttempt,
  newLogin,
  newStaff,
  order,
  PERSON,
  type PlacedOrder,
  table,
} from '../helpers.ts';

const DOMAIN = { type: 'domain', name: 'example.ch', periodMonths: 12 };

/** PlaceOrder's DynamoDB calls that name the account and were made since `since`, oldest first. */
async function orderCalls(orgId: string, since: string) {
  const { calls } = (await control('GET', `/calls?principal=PlaceOrder&mentions=${orgId}`)) as {
    calls: { operation: string; status: number; at: string; request: unknown }[];
  };
  return calls.filter((c) => c.at >= since);
}
const HOSTING = { type: 'web-hosting', name: 'site', periodMonths: 12 };

describe('orders (R3, R15, R19, R20)', () => {
  it('a first order creates the account, its products and an open invoice with a copy of the address', async () => {
    const login = await newLogin('first');

    const placed = await order(login.idToken, {
      newAccount: { holder: { kind: 'company', businessName: 'Example SA' } },
      items: [DOMAIN, HOSTING],
      paymentMethod: 'qr-bill',
      billingAddress: ADDRESS,
    });

    expect(placed.status).toBe(201);
    const body = placed.body as PlacedOrder;
    expect(body.invoice).toMatchObject({
      status: 'open',
      net: 12_600,
      vat: 1021,
      total: 13_621,
      amountPaid: 0,
      billingAddress: ADDRESS,
    });
    expect(body.invoice.number).toMatch(/^INV-\d{8}$/);
    expect(body.invoice.paymentReference).toMatch(/^RF\d{2}INV\d{8}$/);
    expect(body.products.map((p) => [p.type, p.status])).toEqual([
      ['domain', 'active'],
      ['web-hosting', 'active'],
    ]);
    const mine = await api('GET', '/v1/me/organizations', { token: login.idToken });
    expect(mine.body).toMatchObject({
      items: [{ organizationId: body.organizationId, name: 'Example SA', role: 'legalRepresentative' }],
    });
  });

  it('a new customer quotes the cart before any account exists: the same prices as the order, no credits, nothing stored', async () => {
    const login = await newLogin('quote-first');
    const cart = {
      newAccount: { holder: { kind: 'company', businessName: 'Example SA' } },
      items: [DOMAIN, HOSTING],
      paymentMethod: 'qr-bill',
      billingAddress: ADDRESS,
    };

    const quote = await api('POST', '/v1/orders/quote', { token: login.idToken, json: cart });

    expect(quote).toMatchObject({
      status: 200,
      body: { currency: 'CHF', net: 12_600, vat: 1021, total: 13_621 },
    });
    const lines = (quote.body as { lines: { productType: string; availableCredits: unknown[] }[] }).lines;
    expect(lines.map((l) => [l.productType, l.availableCredits])).toEqual([
      ['domain', []],
      ['web-hosting', []],
    ]);
    expect((await api('GET', '/v1/me/organizations', { token: login.idToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('gives concurrent orders distinct numbers from the one invoice sequence, none an older invoice’s', async () => {
    const { login, orgId } = await customer();

    const placed = await Promise.all(
      Array.from({ length: 6 }, () =>
        order(login.idToken, { organizationId: orgId, items: [DOMAIN], paymentMethod: 'iban' }),
      ),
    );

    expect(placed.map((p) => p.status)).toEqual(Array(6).fill(201));
    const numbers = placed
      .map((p) => Number((p.body as PlacedOrder).invoice.number.slice(4)))
      .sort((a, b) => a - b);
    // Other tests order in parallel, so the six need not be consecutive; they must be distinct.
    expect(new Set(numbers).size).toBe(6);
    expect(numbers.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
    // …and no invoice issued before holds one of them: each reference finds one invoice only.
    for (const p of placed) {
      const { paymentReference } = (p.body as PlacedOrder).invoice;
      expect(await table().indexed('GSI1', paymentReferenceKeys(paymentReference).gsi1pk)).toHaveLength(1);
    }
  });

  it('an order whose invoice number another invoice takes eight times in a row is told to try again, and writes nothing (R22)', async () => {
    const { login, orgId } = await customer();
    const other = await customer();
    const productsBefore = await api('GET', `/v1/organizations/${orgId}/products`, { token: login.idToken });
    // Each attempt's transaction is held after it read the sequence; meanwhile another account's
    // order takes the number it read.
    const answer = await losingEveryAttempt(
      'PlaceOrder',
      8,
      orgId,
      () => order(login.idToken, { organizationId: orgId, items: [DOMAIN], paymentMethod: 'iban' }),
      async () => {
        const placed = await order(other.login.idToken, {
          organizationId: other.orgId,
          items: [DOMAIN],
          paymentMethod: 'iban',
        });
        expect(placed.status).toBe(201);
      },
      1000,
    );

    expect(answer).toMatchObject({
      status: 409,
      body: { detail: 'The invoice sequence is busy; try again.' },
    });
    const productsAfter = await api('GET', `/v1/organizations/${orgId}/products`, { token: login.idToken });
    expect(productsAfter.body).toEqual(productsBefore.body);
  });

  it('an order whose transaction runs into another one on the invoice sequence is sent again and placed once', async () => {
    const { login, orgId } = await customer();
    // In AWS, two invoices written at the same moment: DynamoDB refuses the second transaction
    // (TransactionConflict on the sequence's counter), a 400 the SDK does not retry.
    await failCalls('PlaceOrder', 'TransactWriteItems', 'TransactionConflict', 2, orgId);
    const since = new Date().toISOString();

    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [DOMAIN],
      paymentMethod: 'iban',
    });

    expect(placed.status).toBe(201);
    // Refused twice, written the third time.
    const made = await orderCalls(orgId, since);
    expect(made.filter((c) => c.operation === 'TransactWriteItems').map((c) => c.status)).toEqual([
      400, 400, 200,
    ]);
    const products = await api('GET', `/v1/organizations/${orgId}/products`, { token: login.idToken });
    expect((products.body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('names the methods it takes when given one it does not know', async () => {
    const { login, orgId } = await customer();

    const response = await order(login.idToken, {
      organizationId: orgId,
      items: [DOMAIN],
      paymentMethod: 'cash',
    });

    expect(response).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/paymentMethod', detail: 'Expected iban, qr-bill or prepaid.' }] },
    });
  });

  it('refuses card payment with a clear error, and creates nothing', async () => {
    const login = await newLogin('card');

    const response = await order(login.idToken, {
      newAccount: { holder: PERSON },
      items: [DOMAIN],
      paymentMethod: 'card',
      billingAddress: ADDRESS,
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      errors: [
        { pointer: '/body/paymentMethod', detail: expect.stringContaining('Card payment is not offered') },
      ],
    });
    expect((await api('GET', '/v1/me/organizations', { token: login.idToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it.each([
    [
      'a period the catalog does not sell',
      { items: [{ ...DOMAIN, periodMonths: 7 }] },
      '/body/items/0/periodMonths',
    ],
    ['an unknown product type', { items: [{ ...DOMAIN, type: 'spaceship' }] }, '/body/items/0/type'],
    ['no items', { items: [] }, '/body/items'],
    [
      'a fractional price field',
      { items: [{ ...DOMAIN, periodMonths: 12.5 }] },
      '/body/items/0/periodMonths',
    ],
  ])('refuses %s with 400 and orders nothing', async (_, change, pointer) => {
    const { login, orgId } = await customer();
    const before = await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken });

    const response = await order(login.idToken, { organizationId: orgId, paymentMethod: 'iban', ...change });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ pointer })]),
    });
    expect((await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken })).body).toEqual(
      before.body,
    );
  });

  it('needs an Idempotency-Key, and a retry with the same key places the order once', async () => {
    const { login, orgId } = await customer();
    const body = { organizationId: orgId, items: [DOMAIN], paymentMethod: 'iban' };
    const key = randomUUID();

    const missing = await api('POST', '/v1/orders', { token: login.idToken, json: body });
    const first = await order(login.idToken, body, key);
    const retry = await order(login.idToken, body, key);
    const reused = await order(login.idToken, { ...body, items: [HOSTING] }, key);

    expect(missing).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/headers/idempotency-key' }] },
    });
    expect(retry.body).toEqual(first.body);
    expect(reused).toMatchObject({
      status: 409,
      body: { detail: 'This Idempotency-Key was used for a different order.' },
    });
    const invoices = (await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken }))
      .body as {
      items: unknown[];
    };
    expect(invoices.items).toHaveLength(2);
  });

  it('an order to an existing account is one consistent read and one transaction (issue 16)', async () => {
    const { login, orgId } = await customer();
    const since = new Date().toISOString();

    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [HOSTING],
      paymentMethod: 'iban',
    });

    expect(placed.status).toBe(201);
    const made = await orderCalls(orgId, since);
    expect(made.map((c) => c.operation)).toEqual(['BatchGetItem', 'TransactWriteItems']);
    // The invoice number comes from that read too: the counter is one of its keys.
    expect(JSON.stringify(made[0]?.request)).toContain('COUNTER#invoice');
    // and it reads no address it was not given: a key not found is billed all the same.
    expect(JSON.stringify(made[0]?.request)).not.toContain('ADDRESS#');
    // The transaction's audit entry names the order's invoice and total.
    const { invoice } = placed.body as PlacedOrder;
    expect((await auditLog(login.idToken, orgId)).filter((e) => e.action === 'order.placed')).toContainEqual(
      expect.objectContaining({
        actorId: login.userId,
        details: { invoiceId: invoice.invoiceId, total: invoice.total },
      }),
    );
  });

  it('only members with billing rights order; others get 403 and nothing is ordered (R7)', async () => {
    const { login, orgId } = await customer();
    const member = await addMember(login, orgId, { admin: false, billing: false, products: 'all' });

    const response = await order(member.idToken, {
      organizationId: orgId,
      items: [DOMAIN],
      paymentMethod: 'iban',
    });
    const invoices = await api('GET', `/v1/organizations/${orgId}/invoices`, { token: member.idToken });

    expect(response).toMatchObject({
      status: 403,
      body: { detail: 'Only members with billing rights may see invoices, pay and order for this account.' },
    });
    expect(invoices.status).toBe(403);
    const own = (await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken })).body as {
      items: unknown[];
    };
    expect(own.items).toHaveLength(1);
  });
});

describe('what an order names must exist (R15)', () => {
  const invoicesOf = async (token: string, orgId: string) =>
    (await api('GET', `/v1/organizations/${orgId}/invoices`, { token })).body;

  it('an account without a billing address orders only with one: 400 on /body/billingAddress', async () => {
    const { login, orgId } = await accountOwner();
    const body = { organizationId: orgId, items: [DOMAIN], paymentMethod: 'iban' };

    const quote = await api('POST', '/v1/orders/quote', { token: login.idToken, json: body });
    const placed = await order(login.idToken, body);

    const refusal = {
      status: 400,
      body: { errors: [{ pointer: '/body/billingAddress', detail: 'A billing address is needed.' }] },
    };
    expect(quote).toMatchObject(refusal);
    expect(placed).toMatchObject(refusal);
    expect(await invoicesOf(login.idToken, orgId)).toEqual({ items: [], nextCursor: null });
  });

  it('an order to another address of the account bills that one, not the default (R20)', async () => {
    const { login, orgId } = await customer();
    const added = await api('POST', `/v1/organizations/${orgId}/billing-addresses`, {
      token: login.idToken,
      json: { ...ADDRESS, city: 'Bern', postalCode: '3011' },
    });
    const { addressId } = added.body as { addressId: string };

    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [DOMAIN],
      paymentMethod: 'iban',
      billingAddressId: addressId,
    });

    expect(placed.status).toBe(201);
    expect((placed.body as PlacedOrder).invoice.billingAddress).toMatchObject({ addressId, city: 'Bern' });
  });

  it('an account stored before it kept a copy of its default address is billed to that address all the same', async () => {
    const { login, orgId } = await customer();
    const { defaultBillingAddress: _, ...older } = (await table().get(organizationKeys(orgId))) ?? {};
    await table().put(older);

    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [DOMAIN],
      paymentMethod: 'iban',
    });

    expect(placed.status).toBe(201);
    expect((placed.body as PlacedOrder).invoice.billingAddress).toEqual({
      ...ADDRESS,
      addressId: await firstAddressId(login.idToken, orgId),
    });
  });

  it('another account’s billing address is refused on /body/billingAddressId, with nothing ordered', async () => {
    const { login, orgId } = await customer();
    const other = await customer();
    const theirsId = await firstAddressId(other.login.idToken, other.orgId);
    const before = await invoicesOf(login.idToken, orgId);

    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [DOMAIN],
      paymentMethod: 'iban',
      billingAddressId: theirsId,
    });

    expect(placed).toMatchObject({
      status: 400,
      body: {
        errors: [{ pointer: '/body/billingAddressId', detail: 'No such billing address on this account.' }],
      },
    });
    expect(await invoicesOf(login.idToken, orgId)).toEqual(before);
  });

  it('an unknown promo code is refused on /body/promoCode, on the cart and the order', async () => {
    const { login, orgId } = await customer();
    const body = {
      organizationId: orgId,
      items: [HOSTING],
      paymentMethod: 'iban',
      promoCode: 'NO-SUCH-CODE',
    };
    const before = await invoicesOf(login.idToken, orgId);

    const quote = await api('POST', '/v1/orders/quote', { token: login.idToken, json: body });
    const placed = await order(login.idToken, body);

    const refusal = {
      status: 400,
      body: { errors: [{ pointer: '/body/promoCode', detail: 'This promo code does not exist.' }] },
    };
    expect(quote).toMatchObject(refusal);
    expect(placed).toMatchObject(refusal);
    expect(await invoicesOf(login.idToken, orgId)).toEqual(before);
  });
});

describe('free credits (R16)', () => {
  it.each([
    ['both an amount and free months', { amount: 1000, freeMonths: 2 }],
    ['neither an amount nor free months', {}],
  ])('support cannot grant a credit of %s (400), and none is granted', async (_, value) => {
    const { login, orgId } = await customer();
    const staff = await newStaff();

    const refused = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
      token: staff.idToken,
      json: { productType: 'domain', note: 'goodwill', ...value },
    });

    expect(refused).toMatchObject({
      status: 400,
      body: {
        errors: [{ pointer: '/body', detail: 'A credit is either an amount or a number of free months.' }],
      },
    });
    const credits = await api('GET', `/v1/organizations/${orgId}/credits`, { token: login.idToken });
    expect(credits.body).toMatchObject({ items: [] });
  });

  it('support cannot grant a credit to an account that does not exist (404), and none is written', async () => {
    const staff = await newStaff();
    const orgId = newId();

    const refused = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
      token: staff.idToken,
      json: { productType: 'domain', freeMonths: 2 },
    });

    expect(refused).toMatchObject({ status: 404, body: { detail: `No customer account ${orgId}.` } });
    expect(await table().partition(`ORG#${orgId}`)).toEqual([]);
  });

  it('support grants a credit; the cart offers it on matching items only; the order consumes it once', async () => {
    const { login, orgId } = await customer();
    const staff = await newStaff();
    const granted = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
      token: staff.idToken,
      json: { productType: 'domain', amount: 1000, note: 'sorry for the outage' },
    });
    const creditId = (granted.body as { creditId: string }).creditId;

    const quote = await api('POST', '/v1/orders/quote', {
      token: login.idToken,
      json: { organizationId: orgId, items: [DOMAIN, HOSTING], paymentMethod: 'iban' },
    });
    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [{ ...DOMAIN, creditId }],
      paymentMethod: 'iban',
    });
    const again = await order(login.idToken, {
      organizationId: orgId,
      items: [{ ...DOMAIN, creditId }],
      paymentMethod: 'iban',
    });

    expect(granted).toMatchObject({
      status: 201,
      body: { note: 'sorry for the outage', amount: { amount: 1000 } },
    });
    const lines = (quote.body as { lines: { availableCredits: { creditId: string }[] }[] }).lines;
    expect(lines.map((l) => l.availableCredits.map((c) => c.creditId))).toEqual([[creditId], []]);
    expect((placed.body as PlacedOrder).invoice.lines[0]).toMatchObject({
      creditDiscount: 1000,
      net: 800,
      vat: 65,
    });
    expect(again).toMatchObject({
      status: 400,
      body: {
        errors: [{ pointer: '/body/items/0/creditId', detail: 'No such credit available on this account.' }],
      },
    });
  });

  it('an order consumes only the credits its lines use, and the cart stops offering those', async () => {
    const { login, orgId } = await customer();
    const staff = await newStaff();
    const grant = async (productType: string) =>
      (
        (
          await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
            token: staff.idToken,
            json: { productType, amount: 500, note: productType },
          })
        ).body as { creditId: string }
      ).creditId;
    const forDomain = await grant('domain');
    const forHosting = await grant('web-hosting');
    const cart = { organizationId: orgId, items: [DOMAIN, HOSTING], paymentMethod: 'iban' };

    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [{ ...DOMAIN, name: 'first.ch', creditId: forDomain }],
      paymentMethod: 'iban',
    });
    const quote = await api('POST', '/v1/orders/quote', { token: login.idToken, json: cart });
    const later = await order(login.idToken, {
      organizationId: orgId,
      items: [{ ...HOSTING, creditId: forHosting }],
      paymentMethod: 'iban',
    });

    expect(placed.status).toBe(201);
    const lines = (quote.body as { lines: { availableCredits: { creditId: string }[] }[] }).lines;
    expect(lines.map((l) => l.availableCredits.map((c) => c.creditId))).toEqual([[], [forHosting]]);
    expect(later.status).toBe(201);
    expect((later.body as PlacedOrder).invoice.lines[0]).toMatchObject({ creditDiscount: 500 });
  });

  it('a retry of an order that used up its credit and the balance gets the first answer, not a refusal', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();
    const granted = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
      token: staff.idToken,
      json: { productType: 'web-hosting', amount: 100, note: 'welcome' },
    });
    const creditId = (granted.body as { creditId: string }).creditId;
    const body = {
      organizationId: orgId,
      items: [DOMAIN, { ...HOSTING, creditId }],
      paymentMethod: 'prepaid',
    };
    const { total } = (await api('POST', '/v1/orders/quote', { token: login.idToken, json: body })).body as {
      total: number;
    };
    // The first invoice paid, and exactly this order's total over: the balance covers it once.
    await bankPayment(staff, firstOrder.invoice.paymentReference, firstOrder.invoice.total + total);
    const key = randomUUID();

    const first = await order(login.idToken, body, key);
    // The credit is consumed and the balance spent: priced again, the order would be refused.
    const retry = await order(login.idToken, body, key);
    const fresh = await order(login.idToken, body);

    expect(first.status).toBe(201);
    expect(retry).toEqual(first);
    expect(fresh.status).toBe(400);
    const invoices = (await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken }))
      .body as { items: unknown[] };
    expect(invoices.items).toHaveLength(2);
  });

  it('a credit granted to one account cannot be used by another', async () => {
    const { orgId } = await customer();
    const other = await customer();
    const staff = await newStaff();
    const granted = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
      token: staff.idToken,
      json: { productType: 'domain', freeMonths: 12 },
    });
    const creditId = (granted.body as { creditId: string }).creditId;

    const elsewhere = await order(other.login.idToken, {
      organizationId: other.orgId,
      items: [{ ...DOMAIN, creditId }],
      paymentMethod: 'iban',
    });

    expect(elsewhere.status).toBe(400);
  });

  it('lists an account’s credits oldest first', async () => {
    const { login, orgId } = await customer();
    const staff = await newStaff();
    for (const amount of [300, 100, 200]) {
      const granted = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
        token: staff.idToken,
        json: { productType: 'domain', amount },
      });
      expect(granted.status).toBe(201);
    }

    const credits = await api('GET', `/v1/organizations/${orgId}/credits`, { token: login.idToken });

    expect(
      (credits.body as { items: { amount: { amount: number } }[] }).items.map((c) => c.amount.amount),
    ).toEqual([300, 100, 200]);
  });

  it('only staff grant credits (403)', async () => {
    const { login, orgId } = await customer();

    const response = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
      token: login.idToken,
      json: { productType: 'domain', amount: 100_000 },
    });

    expect(response.status).toBe(403);
    const credits = await api('GET', `/v1/organizations/${orgId}/credits`, { token: login.idToken });
    expect(credits.body).toEqual({ items: [], nextCursor: null });
  });
});

const PROMO = {
  validFrom: '2020-01-01T00:00:00Z',
  validUntil: '2099-01-01T00:00:00Z',
  productTypes: ['web-hosting'],
};
const CODE_SHAPE = 'Upper-case letters, digits and dashes, 3 to 32.';
const ONE_DISCOUNT = 'A promo code gives either percentOff (basis points) or amountOff.';

describe('promo codes (R17)', () => {
  /** A new code for web hosting, 20 % off unless another discount is given. */
  async function promo(
    limits: { maxRedemptions: number; maxPerAccount?: number },
    discount: object = { percentOff: 2000 },
  ) {
    const staff = await newStaff();
    const code = `P${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await api('POST', '/v1/staff/promo-codes', {
      token: staff.idToken,
      json: { code, ...discount, ...PROMO, ...limits },
    });
    expect(created.status).toBe(201);
    return code;
  }

  it('a code is created once: the same code again is refused (409) and the first one stands', async () => {
    const code = await promo({ maxRedemptions: 1 });
    const staff = await newStaff();

    const again = await api('POST', '/v1/staff/promo-codes', {
      token: staff.idToken,
      json: {
        code,
        percentOff: 9000,
        validFrom: '2020-01-01T00:00:00Z',
        validUntil: '2099-01-01T00:00:00Z',
        productTypes: ['web-hosting'],
        maxRedemptions: 1000,
      },
    });
    const { login, orgId } = await customer();
    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [HOSTING],
      paymentMethod: 'iban',
      promoCode: code,
    });

    expect(again).toMatchObject({ status: 409, body: { detail: `The promo code ${code} exists already.` } });
    expect((placed.body as PlacedOrder).invoice.lines[0]?.promoDiscount).toBe(2160);
  });

  it('a first order made free by a code and paid from the new, empty balance is paid at once; the statement lists it at 0 (R17, R18)', async () => {
    const code = await promo({ maxRedemptions: 10 }, { percentOff: 10_000 });
    const login = await newLogin('free-first');

    const placed = await order(login.idToken, {
      ...firstOrderBody([HOSTING]),
      paymentMethod: 'prepaid',
      promoCode: code,
    });

    expect(placed).toMatchObject({ status: 201, body: { invoice: { total: 0, status: 'paid' } } });
    const { organizationId, invoice } = placed.body as PlacedOrder;
    const statement = await api('GET', `/v1/organizations/${organizationId}/prepaid`, {
      token: login.idToken,
    });
    expect(statement.body).toMatchObject({
      balance: 0,
      entries: [{ amount: 0, balanceAfter: 0, reason: 'order', reference: invoice.number }],
    });
  });

  it('concurrent checkouts never exceed the total limit', async () => {
    const code = await promo({ maxRedemptions: 3 });
    const buyers = await Promise.all(Array.from({ length: 8 }, () => customer()));

    const results = await Promise.all(
      buyers.map(({ login, orgId }) =>
        order(login.idToken, {
          organizationId: orgId,
          items: [HOSTING],
          paymentMethod: 'iban',
          promoCode: code,
        }),
      ),
    );

    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 201)) {
      expect((r.body as PlacedOrder).invoice.lines[0]?.promoDiscount).toBe(2160);
    }
    expect(results.find((r) => r.status === 409)?.body).toMatchObject({
      detail: 'This promo code has been fully redeemed.',
    });
  });

  it('one account redeems a code at most as often as allowed', async () => {
    const code = await promo({ maxRedemptions: 10, maxPerAccount: 1 });
    const { login, orgId } = await customer();
    const body = { organizationId: orgId, items: [HOSTING], paymentMethod: 'iban', promoCode: code };

    const first = await order(login.idToken, body);
    const second = await order(login.idToken, body);

    expect([first.status, second.status]).toEqual([201, 409]);
    expect(second.body).toMatchObject({
      detail: 'This account has already used this promo code as often as it may.',
    });
  });

  it('a fixed-amount code takes its amount off the cart', async () => {
    const code = await promo({ maxRedemptions: 5 }, { amountOff: { amount: 1000, currency: 'CHF' } });
    const { login, orgId } = await customer();

    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [HOSTING],
      paymentMethod: 'iban',
      promoCode: code,
    });

    expect(placed.status).toBe(201);
    expect((placed.body as PlacedOrder).invoice.lines[0]?.promoDiscount).toBe(1000);
  });

  it.each([
    ['a code with lower-case letters before', { code: 'summer-SALE' }, '/body/code', CODE_SHAPE],
    ['a code with lower-case letters after', { code: 'SALE-summer' }, '/body/code', CODE_SHAPE],
    [
      'both a percentage and an amount',
      { percentOff: 1000, amountOff: { amount: 1000, currency: 'CHF' } },
      '/body',
      ONE_DISCOUNT,
    ],
    ['neither a percentage nor an amount', { percentOff: undefined }, '/body', ONE_DISCOUNT],
    [
      'a validity that ends before it starts',
      { validFrom: '2030-01-01T00:00:00Z', validUntil: '2029-01-01T00:00:00Z' },
      '/body',
      'validFrom must be before validUntil.',
    ],
    [
      'a validity that ends the instant it starts',
      { validFrom: '2030-01-01T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' },
      '/body',
      'validFrom must be before validUntil.',
    ],
  ])('refuses %s (400, on its field) and creates no code', async (_, change, pointer, detail) => {
    const staff = await newStaff();
    const code = `B${randomUUID().slice(0, 8).toUpperCase()}`;
    const json = { ...PROMO, code, percentOff: 2000, maxRedemptions: 5 };

    const refused = await api('POST', '/v1/staff/promo-codes', {
      token: staff.idToken,
      json: { ...json, ...change },
    });
    // Nothing was stored: the same code, well formed, is created now (not "exists already").
    const created = await api('POST', '/v1/staff/promo-codes', { token: staff.idToken, json });

    expect(refused).toMatchObject({ status: 400, body: { errors: [{ pointer, detail }] } });
    expect(created.status).toBe(201);
  });

  it('a code that does not apply to the cart is refused on /body/promoCode, with nothing ordered', async () => {
    const code = await promo({ maxRedemptions: 10 });
    const { login, orgId } = await customer();

    const response = await order(login.idToken, {
      organizationId: orgId,
      items: [DOMAIN],
      paymentMethod: 'iban',
      promoCode: code,
    });

    expect(response).toMatchObject({ status: 400, body: { errors: [{ pointer: '/body/promoCode' }] } });
  });
});
