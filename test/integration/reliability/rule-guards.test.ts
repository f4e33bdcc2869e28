import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../functions/core/dates.ts';
import { organizationKeys } from '../../../functions/core/entities/organization.ts';
import { productItem, productKeys } from '../../../functions/core/entities/product.ts';
import {
  ADDRESS,
  type ApiResponse,
  accountOwner,
  addMember,
  api,
  bankPayment,
  control,
  customer,
  delaysLeft,
  eventually,
  firstAddressId,
  holdWrites,
  linkToken,
  losingEveryAttempt,
  MEMBER_RIGHTS,
  mailTo,
  newLogin,
  newStaff,
  order,
  type PlacedOrder,
  table,
  waitForMail,
} from '../helpers.ts';

/**
 * Every guard that enforces a rule, proved by a test that fails when the guard is removed
 * (issue 10): races sent as concurrent requests, so that both pass the service's check and only
 * the database's condition can stop one; boundaries at the limit and one past it; and the rule's
 * own answer, not just a status another layer would also give.
 */
const HOSTING = { type: 'web-hosting', name: 'site', periodMonths: 12 };
const IBAN = 'CH93 0076 2011 6238 5295 7';
const RELOAD = 'The member was changed by someone else meanwhile; reload and try again.';

/** A customer with exactly `balance` centimes on its prepaid balance (an overpaid first invoice). */
async function withBalance(balance: number) {
  const c = await customer();
  const staff = await newStaff();
  const paid = await bankPayment(
    staff,
    c.firstOrder.invoice.paymentReference,
    c.firstOrder.invoice.total + balance,
  );
  expect(paid.status).toBe(200);
  return { ...c, staff };
}

/**
 * Sets up a race of `n` orders: `n` environments of the order function are started first (as many
 * requests at once, refused for want of an Idempotency-Key), and the orders' transactions are
 * held until every one has read what it needs (passed the service's checks), so that only the
 * database's conditions decide.
 */
async function raceOrders(n: number, token: string) {
  await Promise.all(Array.from({ length: n }, () => api('POST', '/v1/orders', { token, json: {} })));
  await holdWrites('PlaceOrder', n, 'TransactWriteItems', 1000);
}

const balanceOf = async (orgId: string, token: string) =>
  ((await api('GET', `/v1/organizations/${orgId}/prepaid`, { token })).body as { balance: number }).balance;

/** The price of one HOSTING line, as the cart computes it. */
async function hostingTotal(token: string, orgId: string): Promise<number> {
  const quote = await api('POST', '/v1/orders/quote', {
    token,
    json: { organizationId: orgId, items: [HOSTING], paymentMethod: 'iban' },
  });
  return (quote.body as { total: number }).total;
}

/**
 * Two requests at the same moment, their transactions held until both have read: the database's
 * condition lets one through (`ok`) and the other gets the rule's own 409 `detail`.
 */
async function oneOfTwo(
  caller: string,
  requests: (() => Promise<ApiResponse>)[],
  ok: number,
  detail: string,
) {
  await holdWrites(caller, 2, 'TransactWriteItems', 1000);
  const results = await Promise.all(requests.map((request) => request()));
  expect(results.map((r) => r.status).sort()).toEqual([ok, 409]);
  expect(results.find((r) => r.status === 409)?.body).toMatchObject({ detail });
}

describe('database guards, raced past the service checks', () => {
  it('a free credit is consumed once, even by two orders placed at the same moment (R16)', async () => {
    // Paid from a balance that covers all three: an order that lost the credit is told so, not
    // retried as if the balance had moved (its transaction failed on both).
    const { login, orgId, staff } = await withBalance(50_000);
    const granted = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
      token: staff.idToken,
      json: { productType: 'web-hosting', amount: 1000 },
    });
    const { creditId } = granted.body as { creditId: string };
    const body = { organizationId: orgId, items: [{ ...HOSTING, creditId }], paymentMethod: 'prepaid' };

    await raceOrders(3, login.idToken);
    const results = await Promise.all(Array.from({ length: 3 }, () => order(login.idToken, body)));

    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => (r.body as { detail: string }).detail)).toEqual(
      [
        'A credit in this order has just been used by another order.',
        'A credit in this order has just been used by another order.',
      ],
    );
    const placed = results.find((r) => r.status === 201)?.body as PlacedOrder;
    expect(placed.invoice.lines[0]?.creditDiscount).toBe(1000);
  });

  it('two prepaid orders at the same moment never take the balance below zero (R18)', async () => {
    const probe = await customer();
    const price = await hostingTotal(probe.login.idToken, probe.orgId);
    const { login, orgId } = await withBalance(price + 100);
    const body = { organizationId: orgId, items: [HOSTING], paymentMethod: 'prepaid' };

    await raceOrders(3, login.idToken);
    const results = await Promise.all(Array.from({ length: 3 }, () => order(login.idToken, body)));

    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => (r.body as { detail: string }).detail)).toEqual(
      ['The prepaid balance does not cover this order.', 'The prepaid balance does not cover this order.'],
    );
    expect(await balanceOf(orgId, login.idToken)).toBe(100);
  });

  it('two prepaid orders at the same moment that the balance covers together are both placed, down to zero (R18)', async () => {
    const probe = await customer();
    const price = await hostingTotal(probe.login.idToken, probe.orgId);
    const { login, orgId } = await withBalance(2 * price);
    const body = { organizationId: orgId, items: [HOSTING], paymentMethod: 'prepaid' };

    await raceOrders(2, login.idToken);
    // The second commit finds the balance moved by the first, and retries from the new one.
    const results = await Promise.all(Array.from({ length: 2 }, () => order(login.idToken, body)));
    const third = await order(login.idToken, body);

    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(await balanceOf(orgId, login.idToken)).toBe(0);
    expect(third).toMatchObject({
      status: 400,
      body: {
        errors: [
          { pointer: '/body/paymentMethod', detail: 'The prepaid balance does not cover this order.' },
        ],
      },
    });
  });

  it('two withdrawals at the same moment never take the balance below zero (R18)', async () => {
    const { login, orgId } = await withBalance(10_000);
    const withdraw = () =>
      api('POST', `/v1/organizations/${orgId}/prepaid/withdrawals`, {
        token: login.idToken,
        json: { amount: 6000, iban: IBAN, accountHolder: 'Ada Lovelace' },
      });

    await holdWrites('Withdraw', 2);
    const results = await Promise.all([withdraw(), withdraw()]);

    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.body).toMatchObject({
      detail: 'The prepaid balance does not cover this amount.',
    });
    expect(await balanceOf(orgId, login.idToken)).toBe(4000);
  });

  it('two admins making one member admin at the same moment: one does, the other is told to reload (R8)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const other = await addMember(owner, orgId, { admin: true, billing: true, products: 'all' }, 'admin');
    const member = await addMember(owner, orgId);
    const promote = (token: string) =>
      api('PUT', `/v1/organizations/${orgId}/members/${member.userId}/rights`, {
        token,
        json: { admin: true, billing: true, products: 'all' },
      });

    await oneOfTwo('ChangeRights', [() => promote(owner.idToken), () => promote(other.idToken)], 200, RELOAD);
  });

  it('two admins removing one member at the same moment: one does, the other is told to reload (R10)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const other = await addMember(owner, orgId, { admin: true, billing: true, products: 'all' }, 'admin');
    const member = await addMember(owner, orgId);
    const remove = (token: string) =>
      api('DELETE', `/v1/organizations/${orgId}/members/${member.userId}`, { token });

    await oneOfTwo('RemoveMember', [() => remove(owner.idToken), () => remove(other.idToken)], 204, RELOAD);
  });

  it('two admins revoking one invitation at the same moment: one does, the other is told it has ended (R9)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const other = await addMember(owner, orgId, { admin: true, billing: true, products: 'all' }, 'admin');
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email: `race-${randomUUID()}@example.com`, rights: MEMBER_RIGHTS },
    });
    const path = `/v1/organizations/${orgId}/invitations/${(invited.body as { invitationId: string }).invitationId}`;

    await oneOfTwo(
      'RevokeInvitation',
      [
        () => api('DELETE', path, { token: owner.idToken }),
        () => api('DELETE', path, { token: other.idToken }),
      ],
      200,
      'The invitation is already ended.',
    );
  });

  it('an invitation revoked while it is accepted: the invitee is told it was revoked, and joins nothing (R9)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('invitee');
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email: invitee.email, rights: MEMBER_RIGHTS },
    });
    const { invitationId } = invited.body as { invitationId: string };
    const [mail] = await waitForMail(invitee.email);

    // The acceptance has read a pending invitation; its transaction runs only after the revoke.
    const accepted = await losingEveryAttempt(
      'AcceptInvitation',
      1,
      invitationId,
      () =>
        api('POST', '/v1/invitations/acceptances', {
          token: invitee.idToken,
          json: { token: linkToken(mail as never) },
        }),
      () => api('DELETE', `/v1/organizations/${orgId}/invitations/${invitationId}`, { token: owner.idToken }),
      3000,
    );

    expect(accepted).toMatchObject({ status: 410, body: { detail: 'This invitation was revoked.' } });
    const members = await api('GET', `/v1/organizations/${orgId}/members`, { token: owner.idToken });
    expect(JSON.stringify(members.body)).not.toContain(invitee.userId);
  });

  it('a resend while the invitation is revoked sends nothing and says the invitation ended (R9)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const email = `resend-race-${randomUUID()}@example.com`;
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email, rights: MEMBER_RIGHTS },
    });
    await waitForMail(email);
    const { invitationId } = invited.body as { invitationId: string };
    const path = `/v1/organizations/${orgId}/invitations/${invitationId}`;

    // The resend has read a pending invitation; its new link is stored only after the revoke.
    await holdWrites('ResendInvitation', 1, 'UpdateItem', 2000, invitationId);
    const resend = api('POST', `${path}/resend`, { token: owner.idToken });
    await eventually(async () => (await delaysLeft(invitationId)) === 0 || undefined);
    const revoked = await api('DELETE', path, { token: owner.idToken });

    expect(revoked.status).toBe(200);
    expect(await resend).toMatchObject({
      status: 409,
      body: { detail: 'The invitation ended meanwhile (revoked, accepted or expired); no e-mail was sent.' },
    });
    expect(await mailTo(email)).toHaveLength(1);
  });

  it('an invitation revoked while its e-mail step parks the workflow: the token is refused, no e-mail goes out (R9)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const email = `parked-${randomUUID()}@example.com`;
    // The step has read a pending invitation; it parks its task token only after the revoke.
    await holdWrites('InvitationStepsSendInvitation', 1, 'UpdateItem', 2000, orgId);
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email, rights: MEMBER_RIGHTS },
    });
    const { invitationId } = invited.body as { invitationId: string };
    await eventually(async () => (await delaysLeft(orgId)) === 0 || undefined);
    const revoked = await api('DELETE', `/v1/organizations/${orgId}/invitations/${invitationId}`, {
      token: owner.idToken,
    });
    const stepCalls = async () =>
      (
        (await control(
          'GET',
          `/calls?principal=InvitationStepsSendInvitation&mentions=${encodeURIComponent(invitationId)}`,
        )) as { calls: { operation: string; status: number; request?: unknown }[] }
      ).calls;

    expect(revoked.status).toBe(200);
    // The parking write is refused (the invitation is no longer pending), and the step reads the
    // invitation again to end as revoked, instead of mailing a link to an ended invitation.
    const afterParking = await eventually(async () => {
      const calls = await stepCalls();
      const parking = calls.findIndex(
        (c) => c.operation === 'UpdateItem' && JSON.stringify(c.request).includes('taskToken'),
      );
      return parking >= 0 && calls.length > parking + 1 ? calls.slice(parking) : undefined;
    });
    expect(afterParking.map((c) => [c.operation, c.status])).toEqual([
      ['UpdateItem', 400],
      ['GetItem', 200],
    ]);
    expect(await mailTo(email)).toEqual([]);
  });

  it('a product terminated twice at the same moment ends once; the second request is told it already has (R14)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const path = `/v1/organizations/${orgId}/products/${firstOrder.products[0]?.productId}/termination`;

    const terminate = () => api('POST', path, { token: login.idToken });
    await oneOfTwo('TerminateProduct', [terminate, terminate], 200, 'The product is already terminated.');
  });

  // Both read the product before either writes; the one whose write is held longer loses.
  it.each([
    { loser: 'the acceptance', acceptMs: 1500, transferMs: 300 },
    { loser: 'the immediate transfer', acceptMs: 300, transferMs: 1500 },
  ])(
    'a transfer accepted while the product moves elsewhere at once: $loser is told to reload, the product moves once (R13)',
    async ({ acceptMs, transferMs }) => {
      const { login: seller, orgId, firstOrder } = await customer();
      const { login: buyer, orgId: buyerId } = await accountOwner('buyer');
      const own = await api('POST', '/v1/organizations', {
        token: seller.idToken,
        json: { holder: { kind: 'company', businessName: 'Own Second AG' } },
      });
      const secondId = (own.body as { organizationId: string }).organizationId;
      const productIds = [firstOrder.products[0]?.productId];
      const requested = await api('POST', `/v1/organizations/${orgId}/product-transfers`, {
        token: seller.idToken,
        json: { productIds, targetOrganizationId: buyerId },
      });
      const { transferId } = requested.body as { transferId: string };
      // Both functions started first (refused requests), so that each reads the product at once.
      const unknown = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
      await api('POST', `/v1/organizations/${buyerId}/product-transfers/${unknown}/acceptance`, {
        token: buyer.idToken,
      });
      await api('POST', `/v1/organizations/${orgId}/product-transfers`, { token: seller.idToken, json: {} });

      await holdWrites('AcceptTransfer', 1, 'TransactWriteItems', acceptMs);
      await holdWrites('TransferProducts', 1, 'TransactWriteItems', transferMs);
      const [accepted, moved] = await Promise.all([
        api('POST', `/v1/organizations/${buyerId}/product-transfers/${transferId}/acceptance`, {
          token: buyer.idToken,
        }),
        api('POST', `/v1/organizations/${orgId}/product-transfers`, {
          token: seller.idToken,
          json: { productIds, targetOrganizationId: secondId },
        }),
      ]);

      const acceptanceLost = acceptMs > transferMs;
      expect([accepted.status, moved.status]).toEqual(acceptanceLost ? [409, 200] : [200, 409]);
      expect((acceptanceLost ? accepted : moved).body).toMatchObject({
        detail: acceptanceLost
          ? 'A product or the request changed meanwhile; reload and try again.'
          : 'A product changed meanwhile; reload and try again.',
      });
      const where = await Promise.all(
        [buyerId, secondId].map(
          async (id) =>
            (
              (
                await api('GET', `/v1/organizations/${id}/products`, {
                  token: id === buyerId ? buyer.idToken : seller.idToken,
                })
              ).body as { items: unknown[] }
            ).items.length,
        ),
      );
      expect(where).toEqual(acceptanceLost ? [0, 1] : [1, 0]);
    },
  );

  it('an address edited while it is made the default: the default is refused, never a stale copy (R20)', async () => {
    const { login, orgId } = await customer();
    const addresses = `/v1/organizations/${orgId}/billing-addresses`;
    const added = await api('POST', addresses, { token: login.idToken, json: { ...ADDRESS, city: 'Bern' } });
    const { addressId } = added.body as { addressId: string };

    // The function started first (a refused request), so that it reads the address at once; its
    // write is held while the address is edited.
    await api('PUT', `/v1/organizations/${orgId}/default-billing-address`, {
      token: login.idToken,
      json: {},
    });
    await holdWrites('SetDefaultAddress', 1, 'TransactWriteItems', 1500);
    const [chosen, edited] = await Promise.all([
      api('PUT', `/v1/organizations/${orgId}/default-billing-address`, {
        token: login.idToken,
        json: { addressId },
      }),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
        api('PUT', `${addresses}/${addressId}`, {
          token: login.idToken,
          json: { ...ADDRESS, city: 'Basel' },
        }),
      ),
    ]);

    expect(edited.status).toBe(200);
    expect(chosen).toMatchObject({
      status: 409,
      body: { detail: 'The address was changed or removed meanwhile; reload and try again.' },
    });
    const account = await api('GET', `/v1/organizations/${orgId}`, { token: login.idToken });
    expect((account.body as { defaultBillingAddressId: string }).defaultBillingAddressId).not.toBe(addressId);
  });

  it('an address made the default while it is edited: the edit reaches the account’s copy, which the next order bills (R20)', async () => {
    const { login, orgId } = await customer();
    const addresses = `/v1/organizations/${orgId}/billing-addresses`;
    const added = await api('POST', addresses, { token: login.idToken, json: { ...ADDRESS, city: 'Bern' } });
    const { addressId } = added.body as { addressId: string };

    // The edit reads the address while it is not the default; its write is held until it is.
    await api('PUT', `${addresses}/${addressId}`, { token: login.idToken, json: {} });
    await holdWrites('EditAddress', 1, 'TransactWriteItems', 1500, orgId);
    const [edited, chosen] = await Promise.all([
      api('PUT', `${addresses}/${addressId}`, { token: login.idToken, json: { ...ADDRESS, city: 'Basel' } }),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
        api('PUT', `/v1/organizations/${orgId}/default-billing-address`, {
          token: login.idToken,
          json: { addressId },
        }),
      ),
    ]);

    expect(edited.status).toBe(200);
    expect(chosen.status).toBe(200);
    const placed = await order(login.idToken, {
      organizationId: orgId,
      items: [HOSTING],
      paymentMethod: 'iban',
    });
    expect((placed.body as PlacedOrder).invoice).toMatchObject({
      billingAddress: { addressId, city: 'Basel' },
    });
  });

  it('an address edit during which the default changes four times is told to try again, and the address stays as it was (R20)', async () => {
    const { login, orgId } = await customer();
    const addresses = `/v1/organizations/${orgId}/billing-addresses`;
    const first = await firstAddressId(login.idToken, orgId);
    const added = await api('POST', addresses, { token: login.idToken, json: { ...ADDRESS, city: 'Bern' } });
    const { addressId } = added.body as { addressId: string };
    const account = organizationKeys(orgId);

    // Each attempt's transaction is held; meanwhile the default moves to the branch it did not take.
    const answer = await losingEveryAttempt(
      'EditAddress',
      4,
      orgId,
      () =>
        api('PUT', `${addresses}/${addressId}`, {
          token: login.idToken,
          json: { ...ADDRESS, city: 'Basel' },
        }),
      async (moved) => {
        await table().set(account, { defaultBillingAddressId: moved % 2 === 1 ? addressId : first });
      },
    );

    expect(answer).toMatchObject({
      status: 409,
      body: { detail: 'The default billing address kept changing during this edit; try again in a moment.' },
    });
    const listed = await api('GET', addresses, { token: login.idToken });
    const items = (listed.body as { items: { addressId: string; city: string }[] }).items;
    expect(items.find((a) => a.addressId === addressId)?.city).toBe('Bern');
  });

  it('two requests with one Idempotency-Key at the same moment place one order (section 9)', async () => {
    const { login, orgId } = await customer();
    const key = randomUUID();
    const body = { organizationId: orgId, items: [HOSTING], paymentMethod: 'iban' };

    await raceOrders(2, login.idToken);
    const results = await Promise.all([order(login.idToken, body, key), order(login.idToken, body, key)]);

    expect(results.map((r) => r.status)).toEqual([201, 201]);
    const [a, b] = results.map((r) => (r.body as PlacedOrder).invoice.invoiceId);
    expect(a).toBe(b);
    const invoices = await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken });
    expect((invoices.body as { items: unknown[] }).items).toHaveLength(2); // the first order's and this one
  });
});

describe('boundaries', () => {
  it('a prepaid order is refused one centime over the balance, on /body/paymentMethod, and accepted at it (R18)', async () => {
    const probe = await customer();
    const price = await hostingTotal(probe.login.idToken, probe.orgId);
    const { login, orgId, firstOrder, staff } = await withBalance(price - 1);
    const body = { organizationId: orgId, items: [HOSTING], paymentMethod: 'prepaid' };

    const refused = await order(login.idToken, body);
    // One more centime, paid to the (paid) first invoice's reference: it goes to the balance.
    const topUp = await bankPayment(staff, firstOrder.invoice.paymentReference, 1);
    const accepted = await order(login.idToken, body);

    expect(refused).toMatchObject({
      status: 400,
      body: {
        errors: [
          { pointer: '/body/paymentMethod', detail: 'The prepaid balance does not cover this order.' },
        ],
      },
    });
    expect(topUp.status).toBe(200);
    expect(accepted.status).toBe(201);
    expect(await balanceOf(orgId, login.idToken)).toBe(0);
  });

  it('a withdrawal of exactly the balance is paid out; one centime more is refused (R18)', async () => {
    const { login, orgId } = await withBalance(5000);
    const withdraw = (amount: number) =>
      api('POST', `/v1/organizations/${orgId}/prepaid/withdrawals`, {
        token: login.idToken,
        json: { amount, iban: IBAN, accountHolder: 'Ada Lovelace' },
      });

    const over = await withdraw(5001);
    const exact = await withdraw(5000);

    expect(over).toMatchObject({
      status: 409,
      body: { detail: 'The prepaid balance does not cover this amount.' },
    });
    expect(exact.status).toBe(201);
    expect(await balanceOf(orgId, login.idToken)).toBe(0);
  });

  it('a withdrawal whose balance moves under it five times in a row is told to try again, and nothing is paid out (R18)', async () => {
    const { login, orgId } = await withBalance(10_000);
    const account = organizationKeys(orgId);
    // Each attempt's transaction is held after it read the balance; meanwhile the balance moves.
    const answer = await losingEveryAttempt(
      'Withdraw',
      5,
      orgId,
      () =>
        api('POST', `/v1/organizations/${orgId}/prepaid/withdrawals`, {
          token: login.idToken,
          json: { amount: 1000, iban: IBAN, accountHolder: 'Ada Lovelace' },
        }),
      async (moved) => {
        await table().set(account, { prepaidBalance: 10_000 + moved });
      },
    );

    expect(answer).toMatchObject({
      status: 409,
      body: {
        detail:
          'The prepaid balance kept changing while this withdrawal was recorded; try again in a moment.',
      },
    });
    expect(await balanceOf(orgId, login.idToken)).toBe(10_005);
    const items = await table().partition(`ORG#${orgId}`);
    expect(items.filter((i) => String(i.sk).startsWith('WITHDRAWAL#'))).toEqual([]);
  });

  it('a prepaid order whose balance moves under it five times in a row is told to try again, and nothing is placed (R18)', async () => {
    const probe = await customer();
    const price = await hostingTotal(probe.login.idToken, probe.orgId);
    const { login, orgId } = await withBalance(price + 1000);
    const account = organizationKeys(orgId);
    const products = () => api('GET', `/v1/organizations/${orgId}/products`, { token: login.idToken });
    const before = await products();
    // Each commit is held after the order read the balance; meanwhile the balance moves (still covering it).
    const answer = await losingEveryAttempt(
      'PlaceOrder',
      5,
      orgId,
      () =>
        order(login.idToken, {
          organizationId: orgId,
          items: [HOSTING],
          paymentMethod: 'prepaid',
        }),
      async (moved) => {
        await table().set(account, { prepaidBalance: price + 1000 + moved });
      },
    );

    expect(answer).toMatchObject({
      status: 409,
      body: {
        detail: 'The prepaid balance kept changing while this order was placed; try again in a moment.',
      },
    });
    expect((await products()).body).toEqual(before.body);
    expect(await balanceOf(orgId, login.idToken)).toBe(price + 1005);
  });

  it('a termination whose product changes under it three times in a row is told to reload, and the product stays (R14)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const product = firstOrder.products[0];
    if (!product) throw new Error('the first order placed no product');
    const key = productKeys(orgId, product.productId);
    // Each attempt's transaction is held after it read the product; meanwhile its term moves.
    const answer = await losingEveryAttempt(
      'TerminateProduct',
      3,
      product.productId,
      () =>
        api('POST', `/v1/organizations/${orgId}/products/${product.productId}/termination`, {
          token: login.idToken,
        }),
      async () => {
        const stored = productItem.fromItem((await table().get(key)) ?? {});
        await table().put(productItem.toItem({ ...stored, expiresOn: addDays(stored.expiresOn, 1) }));
      },
    );

    expect(answer).toMatchObject({
      status: 409,
      body: { detail: 'The product changed meanwhile; reload and try again.' },
    });
    const after = await api('GET', `/v1/organizations/${orgId}/products/${product.productId}`, {
      token: login.idToken,
    });
    expect(after.body).toMatchObject({ status: 'active', expiresOn: addDays(product.expiresOn, 3) });
  });

  it('a pending invitation past its expiry cannot be accepted or resent (410), before the workflow marks it (R9)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('late');
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email: invitee.email, rights: { admin: false, billing: false, products: 'all' } },
    });
    const { invitationId } = invited.body as { invitationId: string };
    const [mail] = await waitForMail(invitee.email);
    await table().set(
      { pk: `ORG#${orgId}`, sk: `INVITATION#${invitationId}` },
      { expiresAt: new Date(Date.now() - 1000).toISOString() },
    );

    const accepted = await api('POST', '/v1/invitations/acceptances', {
      token: invitee.idToken,
      json: { token: linkToken(mail as never) },
    });
    const resent = await api('POST', `/v1/organizations/${orgId}/invitations/${invitationId}/resend`, {
      token: owner.idToken,
    });

    expect(accepted).toMatchObject({ status: 410, body: { detail: 'This invitation has expired.' } });
    expect(resent).toMatchObject({
      status: 410,
      body: { detail: 'The invitation has expired; send a new one.' },
    });
    const members = await api('GET', `/v1/organizations/${orgId}/members`, { token: owner.idToken });
    expect((members.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('a fourth resend is refused with the resend limit as the reason (R9)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: {
        email: `resend-${randomUUID()}@example.com`,
        rights: { admin: false, billing: false, products: 'all' },
      },
    });
    const { invitationId } = invited.body as { invitationId: string };
    const resend = () =>
      api('POST', `/v1/organizations/${orgId}/invitations/${invitationId}/resend`, { token: owner.idToken });

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await resend()).status);
    const fourth = await resend();

    expect(statuses).toEqual([200, 200, 200]);
    expect(fourth).toMatchObject({
      status: 409,
      body: { detail: 'An invitation can be resent at most 3 times.' },
    });
  });

  it('a recovery-e-mail link confirmed twice at the same moment works once (R2)', async () => {
    const login = await newLogin('recovery-race');
    const address = `race-${randomUUID()}@example.com`;
    await api('PUT', '/v1/me/recovery-email', { token: login.idToken, json: { email: address } });
    const token = linkToken((await waitForMail(address))[0] as never);
    const confirm = () => api('POST', '/v1/recovery-email/confirmations', { json: { token } });

    await holdWrites('ConfirmRecoveryEmail', 2, 'TransactWriteItems', 1000);
    const results = await Promise.all([confirm(), confirm()]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(results.find((r) => r.status === 410)?.body).toMatchObject({
      detail: 'This link is no longer valid.',
    });
  });

  it('a recovery-e-mail link with a wrong secret, or past its validity, is refused and changes nothing (R2)', async () => {
    const login = await newLogin('recovery');
    const address = `new-${randomUUID()}@example.com`;
    await api('PUT', '/v1/me/recovery-email', { token: login.idToken, json: { email: address } });
    const [mail] = await waitForMail(address);
    const token = linkToken(mail as never);
    const [userId = ''] = token.split('.');
    const confirm = (t: string) => api('POST', '/v1/recovery-email/confirmations', { json: { token: t } });

    const forged = await confirm(`${userId}.${'A'.repeat(43)}`);
    await table().set(
      { pk: `USER#${userId}`, sk: 'RECOVERY_CHANGE' },
      { validUntil: new Date(Date.now() - 1000).toISOString() },
    );
    const late = await confirm(token);

    expect(forged).toMatchObject({ status: 410, body: { detail: 'This link is no longer valid.' } });
    expect(late).toMatchObject({ status: 410, body: { detail: 'This link has expired.' } });
    const me = await api('GET', '/v1/me', { token: login.idToken });
    expect((me.body as { recoveryEmail: string }).recoveryEmail).toBe(login.email);
  });

  it('two pro-formas renewing one product at the same moment: one renewal invoice, the other told to reload (R21)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const productIds = [firstOrder.products[0]?.productId];
    const proForma = () =>
      api('POST', `/v1/organizations/${orgId}/pro-formas`, {
        token: login.idToken,
        json: { productIds, paymentMethod: 'iban' },
      });

    await holdWrites('CreateProForma', 2, 'TransactWriteItems', 1000);
    const results = await Promise.all([proForma(), proForma()]);

    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.body).toMatchObject({
      detail: 'A selected product was invoiced or terminated meanwhile; reload "to pay".',
    });
    const renewals = (
      (await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken })).body as {
        items: { kind: string }[];
      }
    ).items.filter((i) => i.kind === 'renewal');
    expect(renewals).toHaveLength(1);
  });

  it('a pro-forma renewing a product terminated meanwhile invoices no renewal, and says to reload (R14, R21)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const productId = String(firstOrder.products[0]?.productId);

    const answer = await losingEveryAttempt(
      'CreateProForma',
      1,
      productId,
      () =>
        api('POST', `/v1/organizations/${orgId}/pro-formas`, {
          token: login.idToken,
          json: { productIds: [productId], paymentMethod: 'iban' },
        }),
      // The customer terminates it while the pro-forma's transaction is held (long enough for the
      // termination's own request to finish first).
      () =>
        api('POST', `/v1/organizations/${orgId}/products/${productId}/termination`, { token: login.idToken }),
      3000,
    );

    expect(answer).toMatchObject({
      status: 409,
      body: { detail: 'A selected product was invoiced or terminated meanwhile; reload "to pay".' },
    });
    const invoices = (await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken }))
      .body as { items: { kind: string }[] };
    expect(invoices.items.filter((i) => i.kind === 'renewal')).toEqual([]);
    const product = await api('GET', `/v1/organizations/${orgId}/products/${productId}`, {
      token: login.idToken,
    });
    expect(product.body).toMatchObject({ status: 'terminated' });
  });

  it('two accounts’ pro-formas at the same moment both renew: the one that lost the invoice number takes the next (R22)', async () => {
    const [a, b] = await Promise.all([customer(), customer()]);
    const proForma = ({ login, orgId, firstOrder }: typeof a) =>
      api('POST', `/v1/organizations/${orgId}/pro-formas`, {
        token: login.idToken,
        json: { productIds: [firstOrder.products[0]?.productId], paymentMethod: 'iban' },
      });

    // Both read the sequence before either writes: the same number for both.
    await holdWrites('CreateProForma', 2, 'TransactWriteItems', 1000);
    const results = await Promise.all([proForma(a), proForma(b)]);

    expect(results.map((r) => r.status)).toEqual([201, 201]);
    const renewalNumbers = await Promise.all(
      [a, b].map(async ({ login, orgId }) => {
        const listed = await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken });
        return (listed.body as { items: { kind: string; number: string }[] }).items.find(
          (i) => i.kind === 'renewal',
        )?.number;
      }),
    );
    expect(new Set(renewalNumbers).size).toBe(2);
    expect(renewalNumbers.every((n) => /^INV-\d{8}$/.test(String(n)))).toBe(true);
  });

  it('a pro-forma that names a paid invoice is refused on that invoice (R22)', async () => {
    const { login, orgId, firstOrder } = await withBalance(0);

    const refused = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: { invoiceIds: [firstOrder.invoice.invoiceId], paymentMethod: 'iban' },
    });

    expect(refused).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/invoiceIds/0', detail: 'Invoice is paid.' }] },
    });
  });

  it('an admin of the source who is only a member of the target transfers by request, not at once (R13)', async () => {
    const seller = await customer();
    const buyer = await accountOwner('buyer');
    // The seller's owner joins the buyer's account without admin rights.
    const joined = await joinAs(buyer.login, buyer.orgId, seller.login);
    const [product] = seller.firstOrder.products;

    const transfer = await api('POST', `/v1/organizations/${seller.orgId}/product-transfers`, {
      token: seller.login.idToken,
      json: { productIds: [product?.productId], targetOrganizationId: buyer.orgId },
    });

    expect(joined).toBe(200);
    expect(transfer).toMatchObject({ status: 202, body: { status: 'requested' } });
    const still = await api('GET', `/v1/organizations/${seller.orgId}/products/${product?.productId}`, {
      token: seller.login.idToken,
    });
    expect(still.status).toBe(200);
  });
});

describe('the rule’s own answer', () => {
  it('removing the legal representative is refused as R10, by an admin who may remove others', async () => {
    const { login: owner, orgId } = await accountOwner();
    const admin = await addMember(owner, orgId, { admin: true, billing: true, products: 'all' }, 'admin');

    const removed = await api('DELETE', `/v1/organizations/${orgId}/members/${owner.userId}`, {
      token: admin.idToken,
    });

    expect(removed).toMatchObject({
      status: 409,
      body: { detail: 'The legal representative cannot be removed (R10).' },
    });
  });
});

/** Invites `who` into the account as a member without admin rights and accepts; the acceptance's status. */
async function joinAs(owner: { idToken: string }, orgId: string, who: { idToken: string; email: string }) {
  await api('POST', `/v1/organizations/${orgId}/invitations`, {
    token: owner.idToken,
    json: { email: who.email, rights: { admin: false, billing: false, products: 'all' } },
  });
  const mails = await waitForMail(who.email);
  const mail = mails.find((m) => /Invit/.test(m.subject)) ?? mails.at(-1);
  const accepted = await api('POST', '/v1/invitations/acceptances', {
    token: who.idToken,
    json: { token: linkToken(mail as never) },
  });
  return accepted.status;
}
