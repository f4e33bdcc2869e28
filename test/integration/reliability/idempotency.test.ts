import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../../../functions/core/entities/records.ts';
import { callApi } from '../../fixtures/client.ts';
import {
  ADDRESS,
  accountOwner,
  api,
  bankPayment,
  customer,
  failCalls,
  holdWrites,
  local,
  newLogin,
  newStaff,
  order,
  table,
} from '../helpers.ts';

/**
 * Issue 14: every creating POST takes an `Idempotency-Key`. A retry with the same key and the
 * same request gets the first answer and changes nothing; the same key on another request is a
 * 409; a request that failed leaves the key free, so its retry runs again.
 */

const addresses = async (token: string, orgId: string) =>
  (
    (await api('GET', `/v1/organizations/${orgId}/billing-addresses?limit=100`, { token })).body as {
      items: { addressId: string }[];
    }
  ).items;

const addAddress = (token: string, orgId: string, key: string | undefined, json: unknown = ADDRESS) =>
  api('POST', `/v1/organizations/${orgId}/billing-addresses`, {
    token,
    json,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });

/** An order of a domain for a year, by bank transfer, with the Idempotency-Key given. */
const domainOrder = (
  token: string,
  organizationId: string,
  name: string,
  key: ReturnType<typeof randomUUID>,
) =>
  order(
    token,
    { organizationId, items: [{ type: 'domain', name, periodMonths: 12 }], paymentMethod: 'iban' },
    key,
  );

/** The user's record of the key, which expires (DynamoDB's TTL) 24 hours after it was written. */
async function keptFor24Hours(userId: string, key: string) {
  const record = await table().get(idempotencyKeys(userId, key));
  expect(Number(record?.expiresAt)).toBeGreaterThan(Date.now() / 1000 + 24 * 3600 - 60);
  expect(Number(record?.expiresAt)).toBeLessThanOrEqual(Date.now() / 1000 + 24 * 3600);
  return record;
}

describe('Idempotency-Key on creating requests', () => {
  it('answers a retry with the first answer and creates the address once', async () => {
    const { login, orgId } = await accountOwner('retry');
    const key = randomUUID();

    const first = await addAddress(login.idToken, orgId, key);
    const retry = await addAddress(login.idToken, orgId, key);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await addresses(login.idToken, orgId)).toEqual([{ ...(first.body as object), default: true }]);
  });

  it('runs requests without a key, or with different keys, each time', async () => {
    const { login, orgId } = await accountOwner('keys');

    await addAddress(login.idToken, orgId, undefined);
    await addAddress(login.idToken, orgId, undefined);
    await addAddress(login.idToken, orgId, randomUUID());
    await addAddress(login.idToken, orgId, randomUUID());

    expect(await addresses(login.idToken, orgId)).toHaveLength(4);
  });

  it('refuses the same key with another body, or on another route (409), and changes nothing', async () => {
    const { login, orgId } = await accountOwner('reuse');
    const key = randomUUID();
    await addAddress(login.idToken, orgId, key);

    const otherBody = await addAddress(login.idToken, orgId, key, { ...ADDRESS, city: 'Bern' });
    const otherRoute = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: login.idToken,
      json: { email: 'reuse@example.com', rights: { admin: false, billing: false, products: 'all' } },
      headers: { 'idempotency-key': key },
    });
    const anOrder = await domainOrder(login.idToken, orgId, 'reuse.ch', key);
    const invitations = await api('GET', `/v1/organizations/${orgId}/invitations`, { token: login.idToken });

    expect([otherBody.status, otherRoute.status, anOrder.status]).toEqual([409, 409, 409]);
    expect(otherBody.body).toMatchObject({ detail: expect.stringContaining('different request') });
    expect(await addresses(login.idToken, orgId)).toHaveLength(1);
    expect(invitations.body).toMatchObject({ items: [] });
  });

  it('refuses a key an order used, on another route (409)', async () => {
    const { login, orgId } = await customer();
    const key = randomUUID();
    const placed = await domainOrder(login.idToken, orgId, 'first.ch', key);

    const reused = await addAddress(login.idToken, orgId, key);

    expect(placed.status).toBe(201);
    expect(reused.status).toBe(409);
    expect(await addresses(login.idToken, orgId)).toHaveLength(1);
  });

  it('keeps keys apart per user: another user’s same key is another request', async () => {
    const a = await accountOwner('key-a');
    const b = await accountOwner('key-b');
    const key = randomUUID();

    const forA = await addAddress(a.login.idToken, a.orgId, key);
    const forB = await addAddress(b.login.idToken, b.orgId, key);

    expect([forA.status, forB.status]).toEqual([201, 201]);
    expect(forB.headers.get('idempotent-replayed')).toBeNull();
    expect(await addresses(b.login.idToken, b.orgId)).toEqual([{ ...(forB.body as object), default: true }]);
  });

  it('creates once when the same request races itself with one key', async () => {
    const { login, orgId } = await accountOwner('race');
    const key = randomUUID();

    const answers = await Promise.all(Array.from({ length: 6 }, () => addAddress(login.idToken, orgId, key)));

    const created = answers.filter((a) => a.status === 201);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const answer of created) expect(answer.body).toEqual(created[0]?.body);
    expect(await addresses(login.idToken, orgId)).toHaveLength(1);
  });

  it('answers only once the answer is kept: a retry right after it gets it again, not "still at work"', async () => {
    const { login, orgId } = await accountOwner('kept');
    const key = randomUUID();
    // The answer's write under the key is held: the request must wait for it before answering.
    await holdWrites('AddAddress', 1, 'UpdateItem', 1000, `IDEMPOTENCY#${login.userId}#${key}`);

    const first = await addAddress(login.idToken, orgId, key);
    const retry = await addAddress(login.idToken, orgId, key);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
  });

  it('keeps an answered key for 24 hours, after which DynamoDB’s TTL removes it', async () => {
    const { login, orgId } = await accountOwner('ttl');
    const key = randomUUID();

    await addAddress(login.idToken, orgId, key);

    const record = await keptFor24Hours(login.userId, key);
    // As docs/data-model.md lists it: an answered request's record.
    expect(record).toMatchObject({ type: 'IdempotencyRecord', state: 'done' });
  });

  it('keeps an order’s key for 24 hours too: its record is written in the order’s own transaction', async () => {
    const { login, orgId } = await customer();
    const key = randomUUID();

    const placed = await domainOrder(login.idToken, orgId, 'kept.ch', key);

    expect(placed.status).toBe(201);
    const record = await keptFor24Hours(login.userId, key);
    expect(record).toMatchObject({ type: 'IdempotencyRecord' });
    expect(JSON.parse(String(record?.response))).toEqual(placed.body);
  });

  it('answers a database failure while taking the key with 500, and leaves the key free for the retry', async () => {
    const { login, orgId } = await accountOwner('outage');
    const key = randomUUID();
    await failCalls('AddAddress', 'PutItem', 'ValidationException', 1, `IDEMPOTENCY#${login.userId}#${key}`);

    // Not through api(): the contract declares no 500, which a failing database is.
    const failed = await callApi(local().apiUrl, 'POST', `/v1/organizations/${orgId}/billing-addresses`, {
      token: login.idToken,
      json: ADDRESS,
      headers: { 'idempotency-key': key },
    });
    const retry = await addAddress(login.idToken, orgId, key);

    expect(failed.status).toBe(500);
    expect(await addresses(login.idToken, orgId)).toHaveLength(1);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does not keep a refusal: a withdrawal refused for want of balance runs again once it is covered', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();
    const key = randomUUID();
    const withdrawal = { amount: 1000, iban: 'CH93 0076 2011 6238 5295 7', accountHolder: 'Ada Lovelace' };
    const withdraw = () =>
      api('POST', `/v1/organizations/${orgId}/prepaid/withdrawals`, {
        token: login.idToken,
        json: withdrawal,
        headers: { 'idempotency-key': key },
      });

    const refused = await withdraw();
    await bankPayment(staff, firstOrder.invoice.paymentReference, firstOrder.invoice.total + 5000);
    const done = await withdraw();
    const again = await withdraw();
    const statement = (await api('GET', `/v1/organizations/${orgId}/prepaid`, { token: login.idToken })).body;

    expect(refused.status).toBe(409);
    expect(done.status).toBe(201);
    expect(done.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(statement).toMatchObject({ balance: 4000 });
  });

  it.each(['short', 'has spaces in it', 'x'.repeat(101)])(
    'refuses the key %j (400) and creates nothing',
    async (key) => {
      const { login, orgId } = await accountOwner('bad-key');

      const response = await addAddress(login.idToken, orgId, key);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errors: [{ pointer: '/headers/idempotency-key' }] });
      expect(await addresses(login.idToken, orgId)).toEqual([]);
    },
  );

  it('lets a retry run again once the first attempt stopped without an answer (its lock ran out)', async () => {
    const { login, orgId } = await accountOwner('stalled');
    // A request that died mid-way leaves its key taken and at work; the lock then runs out. Its
    // fingerprint is the same request's: route, path and body (functions/core/idempotency.ts).
    const path = `/v1/organizations/${orgId}/billing-addresses`;
    const sameRequest = createHash('sha256')
      .update(`POST /v1/organizations/{orgId}/billing-addresses\n${path}\n${JSON.stringify(ADDRESS)}`)
      .digest('hex');
    const heldKey = async (key: string, lockedUntil: number) => {
      await table().put({
        pk: `IDEMPOTENCY#${login.userId}#${key}`,
        sk: 'REQUEST',
        type: 'IdempotencyRecord',
        state: 'started',
        requestHash: sameRequest,
        lockedUntil,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      });
      return key;
    };
    const key = await heldKey(randomUUID(), Date.now() - 1);
    const stillAtWork = await heldKey(randomUUID(), Date.now() + 60_000);

    const retried = await addAddress(login.idToken, orgId, key);
    const waiting = await addAddress(login.idToken, orgId, stillAtWork);

    expect(retried.status).toBe(201);
    expect(waiting).toMatchObject({
      status: 409,
      body: { detail: 'The first request with this Idempotency-Key is still at work: try again shortly.' },
    });
    expect(await addresses(login.idToken, orgId)).toEqual([{ ...(retried.body as object), default: true }]);
  });

  it('is offered by every signed-in creating POST, in the contract', async () => {
    const document = (await api('GET', '/v1/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { security: unknown[]; parameters: { name: string; in: string }[] }>
      >;
    };
    const creating = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method, op]) => method === 'post' && op.security.length > 0 && path !== '/v1/orders/quote')
        .map(([, op]) => [
          path,
          op.parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
        ]),
    );

    expect(creating.length).toBeGreaterThan(10);
    expect(creating.filter(([, offered]) => !offered)).toEqual([]);
  });

  it('gives a new login no second account when it retries POST /v1/organizations', async () => {
    const login = await newLogin('founder');
    const key = randomUUID();
    const create = () =>
      api('POST', '/v1/organizations', {
        token: login.idToken,
        json: { holder: { kind: 'company', businessName: 'Once AG' }, currency: 'CHF' },
        headers: { 'idempotency-key': key },
      });

    const [first, second] = [await create(), await create()];
    const mine = (await api('GET', '/v1/me/organizations', { token: login.idToken })).body;

    expect(second.body).toEqual(first.body);
    expect(mine).toMatchObject({ items: [{ name: 'Once AG' }], nextCursor: null });
  });
});
