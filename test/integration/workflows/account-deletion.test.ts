import { describe, expect, it } from 'vitest';
import { callApi } from '../../fixtures/client.ts';
import {
  addMember,
  api,
  bankPayment,
  customer,
  deletableCustomer,
  eventually,
  failCalls,
  linkToken,
  local,
  mailTo,
  newStaff,
  overrideTaskTimeout,
  table,
  waitForSubject,
} from '../helpers.ts';

/** What deletion removes from the account's partition (R28, decision 43): access and personal data. */
const REMOVED = ['MEMBER#', 'INVITATION#', 'INVITEE#', 'TRANSFER#', 'ADDRESS#', 'CREDIT#', 'PRODUCT#'];

/** The kinds of an account's items: their sort keys up to the `#`. */
const kindsOf = (items: Record<string, unknown>[]) =>
  new Set(items.map((item) => String(item.sk).replace(/#.*$/, '#')));

const subjects = async (email: string) => (await mailTo(email)).map((m) => m.subject);

describe('account deletion (R27, R28)', () => {
  it('lists every unmet requirement (409) and deletes nothing', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();
    const openInvoice = async (name: string) => {
      const placed = await api('POST', '/v1/orders', {
        token: login.idToken,
        json: {
          organizationId: orgId,
          items: [{ type: 'domain', name, periodMonths: 12 }],
          paymentMethod: 'iban',
        },
        headers: { 'idempotency-key': `order-${name.split('.')[0]}-${orgId}` },
      });
      return (placed.body as { invoice: { number: string } }).invoice.number;
    };
    // Two open invoices, newest first as listed.
    const open = [await openInvoice('b.ch'), await openInvoice('c.ch')].reverse();
    await bankPayment(staff, firstOrder.invoice.paymentReference, firstOrder.invoice.total + 500);

    const response = await api('POST', `/v1/organizations/${orgId}/deletion`, { token: login.idToken });

    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({
      type: '/problems/precondition-failed',
      detail: 'The account cannot be deleted yet.',
      unmet: [
        {
          code: 'products-not-terminated',
          detail: 'Terminate every product first: example.ch, b.ch, c.ch.',
          products: ['example.ch', 'b.ch', 'c.ch'],
        },
        { code: 'prepaid-balance', detail: expect.stringContaining('CHF 5.00'), amount: 500 },
        {
          code: 'open-invoices',
          detail: `Settle the open invoices first: ${open.join(', ')}.`,
          invoices: open,
        },
      ],
    });
    expect((await api('GET', `/v1/organizations/${orgId}`, { token: login.idToken })).status).toBe(200);
  });

  it('only the legal representative may ask (403)', async () => {
    const { login, orgId } = await deletableCustomer();
    const admin = await addMember(login, orgId, { admin: true, billing: true, products: 'all' }, 'admin');

    const response = await api('POST', `/v1/organizations/${orgId}/deletion`, { token: admin.idToken });

    expect(response).toMatchObject({
      status: 403,
      body: { detail: 'Only the legal representative may ask to delete the account.' },
    });
  });

  it('asks for confirmation by e-mail; the link deletes access and personal data, keeps invoices, and says goodbye', async () => {
    const { login, orgId } = await deletableCustomer();
    const member = await addMember(login, orgId, { admin: false, billing: false, products: 'all' }, 'member');
    // More addresses than one BatchWriteItem may delete (25): the deletion writes in chunks.
    for (let i = 0; i < 30; i++)
      await table().put({
        pk: `ORG#${orgId}`,
        sk: `ADDRESS#SEED${String(i).padStart(2, '0')}`,
        type: 'BillingAddress',
        addressId: `SEED${i}`,
        name: 'Seed',
        street: 'Bahnhofstrasse',
        postalCode: '8001',
        city: 'Zürich',
        country: 'CH',
      });

    // What the test proves removed is there to remove: products, addresses, memberships.
    expect([...kindsOf(await table().partition(`ORG#${orgId}`))]).toEqual(
      expect.arrayContaining(['PRODUCT#', 'ADDRESS#', 'MEMBER#']),
    );

    const requested = await api('POST', `/v1/organizations/${orgId}/deletion`, { token: login.idToken });
    const twice = await api('POST', `/v1/organizations/${orgId}/deletion`, { token: login.idToken });
    const confirmation = await waitForSubject(login.email, /^Confirm the deletion/);
    const token = linkToken(confirmation as never);
    const malformed = await api('POST', '/v1/account-deletions/confirmations', {
      json: { token: 'a-link-token-without-its-parts' },
    });
    const confirmed = await api('POST', '/v1/account-deletions/confirmations', { json: { token } });
    const again = await api('POST', '/v1/account-deletions/confirmations', { json: { token } });

    expect(requested).toMatchObject({
      status: 202,
      body: { status: 'awaiting-confirmation', detail: `A confirmation link was sent to ${login.email}.` },
    });
    expect(twice).toMatchObject({
      status: 409,
      body: { detail: 'A deletion of this account is already under way.' },
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/token', detail: 'Not a valid link token.' }] },
    });
    expect(confirmed).toMatchObject({ status: 200, body: { status: 'confirmed' } });
    expect(again).toMatchObject({ status: 410, body: { detail: 'This link is no longer valid.' } });
    await eventually(async () =>
      (await subjects(login.email)).includes('The customer account Ada Lovelace was deleted')
        ? true
        : undefined,
    );
    const final = (await mailTo(login.email)).find((m) => m.subject.endsWith('was deleted'));
    // Ten calendar years from today (Swiss time): the same day, ten years on.
    const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich' })
      .format(new Date())
      .split('-')
      .map(Number);
    const lastDay = new Date(Date.UTC(Number(year) + 10, Number(month), 0)).getUTCDate();
    const retained = new Date(Date.UTC(Number(year) + 10, Number(month) - 1, Math.min(Number(day), lastDay)));
    const until = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(retained);
    expect(final?.body.text).toContain(`invoices are kept until ${until}.`);
    // R28 in the table: no personal data and nothing that gives access stays; the account item
    // stays blanked (its id is never reused); the invoices stay, marked with their retention.
    const items = await table().partition(`ORG#${orgId}`);
    const kinds = kindsOf(items);
    expect([...kinds].filter((kind) => REMOVED.includes(kind))).toEqual([]);
    expect([...kinds]).toEqual(expect.arrayContaining(['ORG', 'INVOICE#', 'AUDIT#']));
    const account = items.find((item) => item.sk === 'ORG');
    expect(account).toMatchObject({
      name: 'Deleted account',
      holder: { kind: 'company', businessName: 'Deleted account' },
      status: 'deleted',
      deletedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    for (const gone of ['legalRepresentativeId', 'logoKey', 'defaultBillingAddressId', 'billingMembers'])
      expect(account).not.toHaveProperty(gone);
    expect(items.filter((item) => item.type === 'Invoice').map((invoice) => invoice.archivedUntil)).toEqual([
      retained.toISOString().slice(0, 10),
    ]);
    expect((await api('GET', `/v1/organizations/${orgId}`, { token: login.idToken })).status).toBe(404);
    expect((await api('GET', '/v1/me/organizations', { token: login.idToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await api('GET', '/v1/me/organizations', { token: member.idToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('is cancelled, with the reason by e-mail, when a requirement no longer holds at confirmation', async () => {
    const { login, orgId, firstOrder, staff } = await deletableCustomer();
    await api('POST', `/v1/organizations/${orgId}/deletion`, { token: login.idToken });
    const confirmation = await waitForSubject(login.email, /^Confirm the deletion/);
    await bankPayment(staff, firstOrder.invoice.paymentReference, 700);

    await api('POST', '/v1/account-deletions/confirmations', {
      json: { token: linkToken(confirmation as never) },
    });

    await eventually(async () =>
      (await subjects(login.email)).includes('Deletion of Ada Lovelace cancelled') ? true : undefined,
    );
    const cancelled = (await mailTo(login.email)).find((m) => m.subject.endsWith('cancelled'));
    expect(cancelled?.body.text).toMatch(/not deleted: withdraw the prepaid balance first \(CHF\s7\.00\)\./);
    expect((await api('GET', `/v1/organizations/${orgId}`, { token: login.idToken })).status).toBe(200);
    // A cancelled deletion is over: once the balance is withdrawn, the account may be asked to
    // be deleted again.
    const withdrawn = await api('POST', `/v1/organizations/${orgId}/prepaid/withdrawals`, {
      token: login.idToken,
      json: { amount: 700, iban: 'CH93 0076 2011 6238 5295 7', accountHolder: 'Ada Lovelace' },
    });
    const again = await api('POST', `/v1/organizations/${orgId}/deletion`, { token: login.idToken });
    expect(withdrawn.status).toBe(201);
    expect(again).toMatchObject({ status: 202, body: { status: 'awaiting-confirmation' } });
  });

  it('a database failure while confirming is a 5xx that leaves the link valid', async () => {
    const { login, orgId } = await deletableCustomer();
    await api('POST', `/v1/organizations/${orgId}/deletion`, { token: login.idToken });
    const token = linkToken((await waitForSubject(login.email, /^Confirm the deletion/)) as never);
    await failCalls('ConfirmDeletion', 'UpdateItem', 'ValidationException', 1, `ORG#${orgId}`);

    // Not through api(): the contract declares no 500, which a failing database is.
    const failed = await callApi(local().apiUrl, 'POST', '/v1/account-deletions/confirmations', {
      json: { token },
    });
    const confirmed = await api('POST', '/v1/account-deletions/confirmations', { json: { token } });

    expect(failed.status).toBe(500);
    expect(confirmed).toMatchObject({ status: 200, body: { status: 'confirmed' } });
  });

  it('expires without confirmation; the account stays and may be asked to delete again', async () => {
    const { login, orgId } = await deletableCustomer();
    await overrideTaskTimeout('AskConfirmation', 1, { organizationId: orgId });

    await api('POST', `/v1/organizations/${orgId}/deletion`, { token: login.idToken });
    const confirmation = await waitForSubject(login.email, /^Confirm the deletion/);
    // Until the wait has expired, asking again is refused as "already under way".
    const retry = await eventually(async () => {
      const r = await api('POST', `/v1/organizations/${orgId}/deletion`, { token: login.idToken });
      return r.status === 202 ? r : undefined;
    });
    const late = await api('POST', '/v1/account-deletions/confirmations', {
      json: { token: linkToken(confirmation as never) },
    });

    expect(late.status).toBe(410);
    expect(retry.status).toBe(202);
    expect((await api('GET', `/v1/organizations/${orgId}`, { token: login.idToken })).status).toBe(200);
  });
});
