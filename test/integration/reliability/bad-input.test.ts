import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteContext } from '../../fixtures/routes.ts';
import { accountSnapshot, api, customer, type PlacedOrder } from '../helpers.ts';

/**
 * Section 9: whatever a client sends — any JSON as a body, any text as a path id — the answer
 * is a 4xx problem, never a 5xx, and nothing changes.
 */
let token: string;
let context: RouteContext;
let snapshot: () => Promise<unknown[]>;
let before: unknown[];

beforeAll(async () => {
  const c = await customer();
  token = c.login.idToken;
  const order = c.firstOrder as PlacedOrder;
  context = {
    orgId: c.orgId,
    otherOrgId: c.orgId,
    userId: c.login.userId,
    invitationId: '01JD0000000000000000000000',
    productId: String(order.products[0]?.productId),
    invoiceId: order.invoice.invoiceId,
    addressId: '01JD0000000000000000000002',
    transferId: '01JD0000000000000000000003',
    uploadId: '01JD0000000000000000000004',
  };
  snapshot = () => accountSnapshot(c.orgId, token);
  before = await snapshot();
}, 60_000);

const withBody = Object.entries(ROUTES).filter(([, e]) => e.sample(placeholder()).json !== undefined);
const withIds = Object.entries(ROUTES).filter(([key]) => /\{\w+\}/.test(key));

function placeholder(): RouteContext {
  const id = '01JD0000000000000000000000';
  return {
    orgId: id,
    otherOrgId: id,
    userId: id,
    invitationId: id,
    productId: id,
    invoiceId: id,
    addressId: id,
    transferId: id,
    uploadId: id,
  };
}

const isProblem = (status: number, contentType: string | null) =>
  status >= 400 &&
  status < 500 &&
  (contentType === 'application/problem+json' || status === 404 || status === 401);

describe('bad input never changes anything and never gets a 5xx', () => {
  it.each(withBody.map(([key]) => key))(
    '%s refuses any malformed JSON body with a 4xx problem',
    async (key) => {
      const [verb = 'POST'] = key.split(' ');
      const entry = ROUTES[key];
      await fc.assert(
        fc.asyncProperty(
          fc
            .jsonValue({ maxDepth: 3 })
            .filter((v) => JSON.stringify(v) !== JSON.stringify(entry?.sample(context).json)),
          async (body) => {
            const sample = entry?.sample(context);
            const response = await api(verb, String(sample?.path), {
              token,
              json: body,
              headers: { 'idempotency-key': 'fuzzing-key-0001', ...sample?.headers },
            });
            expect(isProblem(response.status, response.headers.get('content-type'))).toBe(true);
          },
        ),
        { numRuns: 12 },
      );
    },
  );

  it.each(withIds.map(([key]) => key))('%s refuses any text in place of an id with a 4xx', async (key) => {
    const [verb = 'GET'] = key.split(' ');
    const entry = ROUTES[key];
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (junk) => {
        const sample = entry?.sample(context);
        // Every id of the path becomes the junk text (the organization id too).
        const path = String(sample?.path).replace(
          /[0-9A-HJKMNP-TV-Z]{26}|[0-9a-f]{8}-[0-9a-f-]{27}/g,
          encodeURIComponent(junk),
        );
        const response = await api(verb, path, {
          token,
          ...(sample?.json !== undefined ? { json: sample.json } : {}),
          ...(sample?.headers ? { headers: sample.headers } : {}),
        });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 8 },
    );
  });

  it('and the account is as it was', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
