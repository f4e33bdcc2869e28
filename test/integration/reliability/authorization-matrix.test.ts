import { beforeAll, describe, expect, it } from 'vitest';
import { cachedTemplate, describeTemplate } from '../../../infra/local/template.ts';
import { ROLE_ORDER, ROUTES, type Role, type RouteContext } from '../../fixtures/routes.ts';
import { accountOwner, accountSnapshot, addMember, api, customer, type PlacedOrder } from '../helpers.ts';

/**
 * Section 9: every route × every role × a foreign account. Whoever lacks the right gets 401
 * (no token), 404 (not a member of the account) or 403 (a member without the right), and the
 * victim account is exactly as it was.
 */
const routeKeys = describeTemplate(await cachedTemplate(), {
  userPoolId: '-',
  userPoolClientId: '-',
}).routes.map((r) => `${r.method} ${r.path}`);

it('the matrix knows every route of the stack, and only those', () => {
  expect(Object.keys(ROUTES).sort()).toEqual([...routeKeys].sort());
});

type Victim = Awaited<ReturnType<typeof setUp>>;
async function setUp() {
  const victim = await customer();
  const token = victim.login.idToken;
  const other = await api('POST', '/v1/organizations', {
    token,
    json: { holder: { kind: 'company', businessName: 'Other' } },
  });
  const invited = await api('POST', `/v1/organizations/${victim.orgId}/invitations`, {
    token,
    json: {
      email: `pending-${victim.orgId}@example.org`,
      rights: { admin: false, billing: false, products: 'all' },
    },
  });
  const addresses = await api('GET', `/v1/organizations/${victim.orgId}/billing-addresses`, { token });
  const members = {
    plain: await addMember(
      victim.login,
      victim.orgId,
      { admin: false, billing: false, products: [] },
      'plain',
    ),
    billing: await addMember(
      victim.login,
      victim.orgId,
      { admin: false, billing: true, products: [] },
      'billing',
    ),
    admin: await addMember(
      victim.login,
      victim.orgId,
      { admin: true, billing: true, products: 'all' },
      'admin',
    ),
  };
  // The member whom rights changes and removals aim at: none of the actors (removing
  // oneself is leaving, which any member may do).
  const target = await addMember(
    victim.login,
    victim.orgId,
    { admin: false, billing: false, products: [] },
    'target',
  );
  const order = victim.firstOrder as PlacedOrder;
  const context: RouteContext = {
    orgId: victim.orgId,
    otherOrgId: (other.body as { organizationId: string }).organizationId,
    userId: target.userId,
    invitationId: (invited.body as { invitationId: string }).invitationId,
    productId: String(order.products[0]?.productId),
    invoiceId: order.invoice.invoiceId,
    addressId: (addresses.body as { items: { addressId: string }[] }).items[0]?.addressId ?? '',
    transferId: '01JD0000000000000000000000',
    uploadId: '01JD0000000000000000000001',
  };
  const outsider = await accountOwner('outsider');
  return { victim, members, context, outsider };
}

const snapshot = (v: Victim) => accountSnapshot(v.victim.orgId, v.victim.login.idToken);

const entries = Object.entries(ROUTES).filter(([, e]) => e.role !== 'public');

describe('authorization matrix (R4, R7, R8)', () => {
  let v: Victim;
  let before: unknown[];
  beforeAll(async () => {
    v = await setUp();
    before = await snapshot(v);
  }, 60_000);

  const call = (key: string, token: string | undefined) => {
    const [verb = 'GET'] = key.split(' ');
    const sample = ROUTES[key]?.sample(v.context);
    return api(verb, String(sample?.path), {
      ...(token ? { token } : {}),
      ...(sample?.json !== undefined ? { json: sample.json } : {}),
      ...(sample?.headers ? { headers: sample.headers } : {}),
    });
  };

  it('without a token every protected route answers 401', async () => {
    const statuses = await Promise.all(
      entries.map(async ([key]) => [key, (await call(key, undefined)).status]),
    );
    expect(Object.fromEntries(statuses)).toEqual(Object.fromEntries(entries.map(([key]) => [key, 401])));
  });

  it('a user of another account gets 404 on every route of this one (403 on staff routes)', async () => {
    const scoped = entries.filter(
      ([key, e]) => e.role !== 'signedIn' || key.includes('current-organization'),
    );
    const statuses = await Promise.all(
      scoped.map(async ([key]) => [key, (await call(key, v.outsider.login.idToken)).status]),
    );
    const expected = Object.fromEntries(scoped.map(([key, e]) => [key, e.role === 'staff' ? 403 : 404]));
    expect(Object.fromEntries(statuses)).toEqual(expected);
  });

  it.each([
    ['a member without rights', 'plain', 'member'],
    ['a member with billing rights', 'billing', 'billing'],
    ['an admin', 'admin', 'admin'],
  ] as const)('%s gets 403 on every route that needs more', async (_, who, role: Role) => {
    const rank = ROLE_ORDER.indexOf(role);
    const above = entries.filter(([, e]) => e.role === 'staff' || ROLE_ORDER.indexOf(e.role) > rank);
    const statuses = await Promise.all(
      above.map(async ([key]) => [key, (await call(key, v.members[who].idToken)).status]),
    );
    expect(Object.fromEntries(statuses)).toEqual(Object.fromEntries(above.map(([key]) => [key, 403])));
  });

  it('and after all of it the account is exactly as it was', async () => {
    expect(await snapshot(v)).toEqual(before);
  });
});
