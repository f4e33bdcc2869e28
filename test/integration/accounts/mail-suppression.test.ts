import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '#core/dates.ts';
import { productItem, productKeys } from '#core/entities/product.ts';
import {
  accountOwner,
  addMember,
  api,
  control,
  customer,
  eventually,
  MEMBER_RIGHTS,
  mailTo,
  runWorkflow,
  table,
  waitForMail,
} from '../helpers.ts';

/**
 * Issue 15: SES's bounces and complaints reach the mail-events topic; a permanent bounce or a
 * complaint suppresses the address — no e-mail goes to it any more, and the account's admins
 * see why. Locally the topic delivers to its subscribed function as SNS does (POST /sns/publish).
 */
const sesEvent = (kind: 'Bounce' | 'Complaint', address: string, bounceType = 'Permanent') => ({
  eventType: kind,
  mail: { destination: [address], messageId: randomUUID(), timestamp: '2026-11-26T10:00:00.000Z' },
  ...(kind === 'Bounce'
    ? {
        bounce: {
          bounceType,
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: address }],
          timestamp: '2026-11-26T10:00:01.000Z',
        },
      }
    : {
        complaint: {
          complainedRecipients: [{ emailAddress: address }],
          timestamp: '2026-11-26T10:00:02.000Z',
        },
      }),
});
const report = (message: unknown) => control('POST', '/sns/publish', { topic: 'MailEvents', message });

interface Person {
  email: string;
  mailSuppressed?: { reason: string; since: string };
}
const listOf = async (token: string, path: string) =>
  ((await api('GET', path, { token })).body as { items: Person[] }).items;

describe('bounces and complaints suppress an address', () => {
  it('shows the admins which member’s address bounced, and why', async () => {
    const { login, orgId } = await accountOwner('bounced');
    const member = await addMember(login, orgId);

    await report(sesEvent('Bounce', member.email));
    const members = await listOf(login.idToken, `/v1/organizations/${orgId}/members`);

    expect(members.find((m) => m.email === member.email)?.mailSuppressed).toEqual({
      reason: 'bounce',
      since: '2026-11-26T10:00:01.000Z',
    });
    expect(members.filter((m) => m.mailSuppressed)).toHaveLength(1);
  });

  it('sends no more e-mail to a suppressed invitee: a resend is a 409 that says why', async () => {
    const { login, orgId } = await accountOwner('complained');
    const email = `complainer-${randomUUID()}@example.com`;
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: login.idToken,
      json: { email, rights: MEMBER_RIGHTS },
    });
    await waitForMail(email);
    const { invitationId } = invited.body as { invitationId: string };

    await report(sesEvent('Complaint', email));
    const resent = await api('POST', `/v1/organizations/${orgId}/invitations/${invitationId}/resend`, {
      token: login.idToken,
    });
    const invitations = await listOf(login.idToken, `/v1/organizations/${orgId}/invitations`);

    expect(resent.status).toBe(409);
    expect(resent.body).toMatchObject({
      detail: `No e-mail reaches ${email}: it was reported as complaining of our e-mail as spam on 2026-11-26. Ask for another address.`,
    });
    expect(await mailTo(email)).toHaveLength(1);
    expect(invitations[0]?.mailSuppressed).toMatchObject({ reason: 'complaint' });
  });

  it('refuses to invite a suppressed address (409) and creates nothing', async () => {
    const { login, orgId } = await accountOwner('refused');
    const email = `gone-${randomUUID()}@example.com`;
    await report(sesEvent('Bounce', email));

    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: login.idToken,
      json: { email, rights: MEMBER_RIGHTS },
    });

    expect(invited.status).toBe(409);
    expect(invited.body).toMatchObject({
      detail: `No e-mail reaches ${email}: it was reported as undeliverable on 2026-11-26. Ask for another address.`,
    });
    expect(await listOf(login.idToken, `/v1/organizations/${orgId}/invitations`)).toEqual([]);
  });

  it('does not suppress an address for a transient bounce (a full mailbox)', async () => {
    const { login, orgId } = await accountOwner('transient');
    const email = `full-${randomUUID()}@example.com`;
    await report(sesEvent('Bounce', email, 'Transient'));

    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: login.idToken,
      json: { email, rights: MEMBER_RIGHTS },
    });

    expect(invited.status).toBe(201);
    await eventually(async () => ((await mailTo(email)).length === 1 ? true : undefined));
  });

  it('a suppressed billing member gets no renewal reminder; the run counts only the e-mails sent', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'web-hosting', name: 'suppressed-reader', periodMonths: 1 },
    ]);
    const bounced = await addMember(
      login,
      orgId,
      { admin: false, billing: true, products: 'all' },
      'bounced',
    );
    await report(sesEvent('Bounce', bounced.email));
    // A reminder day of this test's own (long past), so that the run's count is this account's.
    const day = addDays('1900-01-01', Math.floor(Math.random() * 3000) * 10);
    const key = productKeys(orgId, String(firstOrder.products[0]?.productId));
    const stored = productItem.fromItem((await table().get(key)) ?? {});
    await table().put(
      productItem.toItem({ ...stored, expiresOn: addDays(day, 7), nextReminder: { stage: 7, day } }),
    );

    const run = await runWorkflow('RenewalReminders', { day });

    const renewals = async (email: string) =>
      (await mailTo(email)).filter((m) => m.subject.startsWith('Renew'));
    expect(await renewals(login.email)).toHaveLength(1);
    expect(await renewals(bounced.email)).toEqual([]);
    const shards = (JSON.parse(run.output ?? '{}') as { shards: { reminded: number; emails: number }[] })
      .shards;
    expect(shards.reduce((n, s) => n + s.emails, 0)).toBe(1);
    expect(shards.reduce((n, s) => n + s.reminded, 0)).toBe(1);
  });
});
