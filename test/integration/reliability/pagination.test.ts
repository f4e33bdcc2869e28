import { beforeAll, describe, expect, it } from 'vitest';
import type { Login } from '../../../infra/local/identity.ts';
import { ROUTES } from '../../../infra/stacks/routes.ts';
import { ADDRESS, addMember, api, bankPayment, customer, newStaff, order } from '../helpers.ts';

/**
 * Issue 14: every list route pages the same way — `limit` (1–100, 20 by default), an opaque
 * `cursor`, and `nextCursor` (null on the last page). Walking a list two items at a time gives
 * exactly the items of one large page, in the same order, each once.
 */

interface Listing {
  items: unknown[];
  nextCursor: string | null;
}

const DOMAINS = ['alpha.ch', 'bravo.ch', 'charlie.ch'].map((name) => ({
  type: 'domain',
  name,
  periodMonths: 12,
}));

let owner: Login;
let orgId: string;
let lists: Record<string, string>;

beforeAll(async () => {
  const bought = await customer(DOMAINS);
  owner = bought.login;
  orgId = bought.orgId;
  const staff = await newStaff();
  const seller = await customer(DOMAINS);
  const member = await addMember(owner, orgId);
  await addMember(owner, orgId, { admin: false, billing: true, products: 'all' }, 'biller');
  const steps = [
    api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email: 'pending@example.com', rights: { admin: false, billing: false, products: 'all' } },
    }),
    ...[1, 2].map(() =>
      api('POST', `/v1/organizations/${orgId}/billing-addresses`, { token: owner.idToken, json: ADDRESS }),
    ),
    ...[100, 200, 300].map((amount) =>
      api('POST', `/v1/staff/organizations/${orgId}/credits`, {
        token: staff.idToken,
        json: { productType: 'domain', amount },
      }),
    ),
    ...['Second', 'Third'].map((businessName) =>
      api('POST', '/v1/organizations', {
        token: owner.idToken,
        json: { holder: { kind: 'company', businessName }, currency: 'CHF' },
      }),
    ),
    ...seller.firstOrder.products.map((p) =>
      api('POST', `/v1/organizations/${seller.orgId}/product-transfers`, {
        token: seller.login.idToken,
        json: { productIds: [p.productId], targetOrganizationId: orgId },
      }),
    ),
  ];
  for (const step of await Promise.all(steps))
    expect(step.status, JSON.stringify(step.body)).toBeLessThan(300);
  // Three movements of the prepaid balance: the invoice overpaid, then two payments more.
  for (const amount of [100_000, 500, 700]) {
    expect((await bankPayment(staff, bought.firstOrder.invoice.paymentReference, amount)).status).toBe(200);
  }
  await order(owner.idToken, { organizationId: orgId, items: [DOMAINS[0]], paymentMethod: 'prepaid' });
  await order(owner.idToken, {
    organizationId: orgId,
    items: [{ ...DOMAINS[1], name: 'delta.ch' }],
    paymentMethod: 'iban',
  });
  await api('PUT', `/v1/organizations/${orgId}/members/${member.userId}/rights`, {
    token: owner.idToken,
    json: { admin: false, billing: true, products: 'all' },
  });
  lists = {
    'GET /v1/me/organizations': '/v1/me/organizations',
    'GET /v1/organizations/{orgId}/members': `/v1/organizations/${orgId}/members`,
    'GET /v1/organizations/{orgId}/invitations': `/v1/organizations/${orgId}/invitations`,
    'GET /v1/organizations/{orgId}/products': `/v1/organizations/${orgId}/products`,
    'GET /v1/organizations/{orgId}/product-transfers': `/v1/organizations/${orgId}/product-transfers`,
    'GET /v1/organizations/{orgId}/billing-addresses': `/v1/organizations/${orgId}/billing-addresses`,
    'GET /v1/organizations/{orgId}/credits': `/v1/organizations/${orgId}/credits`,
    'GET /v1/organizations/{orgId}/prepaid': `/v1/organizations/${orgId}/prepaid`,
    'GET /v1/organizations/{orgId}/audit-log': `/v1/organizations/${orgId}/audit-log`,
    'GET /v1/organizations/{orgId}/invoices': `/v1/organizations/${orgId}/invoices`,
  };
}, 120_000);

/** The prepaid statement pages its ledger `entries`; every other list its `items`. */
const itemsOf = (body: unknown) => {
  const b = body as Listing & { entries?: unknown[] };
  return { items: b.entries ?? b.items, nextCursor: b.nextCursor };
};

async function read(path: string, query: string, token = owner.idToken) {
  const response = await api('GET', `${path}?${query}`, { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return itemsOf(response.body);
}

async function walk(path: string, limit: number, token = owner.idToken) {
  const pages: Listing[] = [];
  let cursor: string | null = null;
  do {
    const page = await read(path, `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

describe('every list route pages the same way (limit, cursor, nextCursor)', () => {
  it('covers every route that hands out page cursors', () => {
    const paged = ROUTES.filter((r) => r.pages).map((r) => r.route);
    expect(Object.keys(lists).sort()).toEqual(paged.sort());
  });

  it.each([
    'GET /v1/me/organizations',
    'GET /v1/organizations/{orgId}/members',
    'GET /v1/organizations/{orgId}/invitations',
    'GET /v1/organizations/{orgId}/products',
    'GET /v1/organizations/{orgId}/product-transfers',
    'GET /v1/organizations/{orgId}/billing-addresses',
    'GET /v1/organizations/{orgId}/credits',
    'GET /v1/organizations/{orgId}/prepaid',
    'GET /v1/organizations/{orgId}/audit-log',
  ])('%s: two at a time gives the whole list, in order, each item once', async (route) => {
    const path = lists[route] as string;
    const whole = await read(path, 'limit=100');
    const pages = await walk(path, 2);

    expect(whole.items.length).toBeGreaterThanOrEqual(3);
    expect(whole.nextCursor).toBeNull();
    expect(pages.flatMap((p) => p.items)).toEqual(whole.items);
    expect(pages.map((p) => p.items.length)).toEqual(
      pages.map((_, i) => (i < pages.length - 1 ? 2 : whole.items.length - 2 * i)),
    );
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  it('cuts the default page at 20 items and says where the next one starts', async () => {
    const admin = await addMember(owner, orgId, { admin: true, billing: true, products: 'all' }, 'toggled');
    // Twenty changes of one member's rights: twenty entries in the audit log.
    for (let i = 0; i < 20; i++) {
      await api('PUT', `/v1/organizations/${orgId}/members/${admin.userId}/rights`, {
        token: owner.idToken,
        json: { admin: i % 2 === 1, billing: true, products: 'all' },
      });
    }
    const path = lists['GET /v1/organizations/{orgId}/audit-log'] as string;
    const whole = await read(path, 'limit=100');
    const first = itemsOf((await api('GET', path, { token: owner.idToken })).body);

    expect(whole.items.length).toBeGreaterThan(20);
    expect(first.items).toEqual(whole.items.slice(0, 20));
    // Each entry is named by its own id (a ULID, nothing of the table's keys), newest first.
    const ids = (whole.items as { entryId: string }[]).map((e) => e.entryId);
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it.each(['limit=0', 'limit=101', 'limit=two', 'cursor=not%20a%20cursor', 'size=2'])(
    'refuses ?%s on every list route (400), naming the query',
    async (query) => {
      const answers = await Promise.all(
        Object.values(lists).map(async (path) => {
          const response = await api('GET', `${path}?${query}`, { token: owner.idToken });
          return [
            path,
            response.status,
            (response.body as { errors?: { pointer: string }[] }).errors?.[0]?.pointer,
          ];
        }),
      );
      expect(
        answers.filter(([, status, pointer]) => status !== 400 || !String(pointer).startsWith('/query')),
      ).toEqual([]);
    },
  );

  it('refuses a cursor of one list on another list of the same account (400)', async () => {
    const members = await read(lists['GET /v1/organizations/{orgId}/members'] as string, 'limit=1');
    const credits = await api(
      'GET',
      `${lists['GET /v1/organizations/{orgId}/credits']}?limit=1&cursor=${members.nextCursor}`,
      { token: owner.idToken },
    );

    expect(members.nextCursor).toEqual(expect.any(String));
    expect(credits.status).toBe(400);
    expect(credits.body).toMatchObject({
      errors: [{ pointer: '/query/cursor', detail: 'Not a cursor from a previous page of this list.' }],
    });
  });

  it('refuses a cursor of an account’s list on the same list of another account (400)', async () => {
    const other = await api('POST', '/v1/organizations', {
      token: owner.idToken,
      json: { holder: { kind: 'company', businessName: 'Other' }, currency: 'CHF' },
    });
    const otherId = (other.body as { organizationId: string }).organizationId;
    const perAccount = Object.values(lists).filter((path) => path.includes(orgId));

    const answers = await Promise.all(
      perAccount.map(async (path) => {
        const { nextCursor } = await read(path, 'limit=1');
        const response = await api('GET', `${path.replace(orgId, otherId)}?limit=1&cursor=${nextCursor}`, {
          token: owner.idToken,
        });
        return [
          path,
          response.status,
          (response.body as { errors?: { detail: string }[] }).errors?.[0]?.detail,
        ];
      }),
    );

    expect(perAccount.length).toBeGreaterThanOrEqual(8);
    expect(answers).toEqual(
      perAccount.map((path) => [path, 400, 'Not a cursor from a previous page of this list.']),
    );
  });

  it('refuses a cursor of one user’s list of accounts in another user’s (400, R5)', async () => {
    const other = await customer();
    await api('POST', '/v1/organizations', {
      token: other.login.idToken,
      json: { holder: { kind: 'company', businessName: 'Second' }, currency: 'CHF' },
    });
    const { nextCursor } = await read('/v1/me/organizations', 'limit=1');

    const theirs = await api('GET', `/v1/me/organizations?limit=1&cursor=${nextCursor}`, {
      token: other.login.idToken,
    });

    expect(nextCursor).toEqual(expect.any(String));
    expect(theirs).toMatchObject({
      status: 400,
      body: {
        errors: [{ pointer: '/query/cursor', detail: 'Not a cursor from a previous page of this list.' }],
      },
    });
  });

  it('ends a list of accounts that fills its last page exactly with no cursor (R5)', async () => {
    const two = await customer();
    await api('POST', '/v1/organizations', {
      token: two.login.idToken,
      json: { holder: { kind: 'company', businessName: 'Second' }, currency: 'CHF' },
    });

    const page = await read('/v1/me/organizations', 'limit=2', two.login.idToken);

    expect(page).toMatchObject({ items: [expect.anything(), expect.anything()], nextCursor: null });
  });

  it('pages a member’s own products only, when they may manage some of them (R7)', async () => {
    const all = (await read(lists['GET /v1/organizations/{orgId}/products'] as string, 'limit=100'))
      .items as {
      productId: string;
    }[];
    const granted = [all[3], all[0], all[2]].map((p) => p?.productId as string);
    const restricted = await addMember(
      owner,
      orgId,
      { admin: false, billing: false, products: granted },
      'some',
    );

    const pages = await walk(
      lists['GET /v1/organizations/{orgId}/products'] as string,
      2,
      restricted.idToken,
    );

    expect(pages.map((p) => (p.items as { productId: string }[]).map((i) => i.productId))).toEqual([
      [all[0]?.productId, all[2]?.productId],
      [all[3]?.productId],
    ]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });
});
