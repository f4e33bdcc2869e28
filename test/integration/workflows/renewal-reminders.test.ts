import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { shardOf } from '#core/reminders.ts';
import {
  addMember,
  api,
  bankPayment,
  customer,
  documentClient,
  failCalls,
  local,
  MEMBER_RIGHTS,
  mailTo,
  newStaff,
  runWorkflow,
  table,
} from '../helpers.ts';

interface Product {
  productId: string;
  expiresOn: string;
  nextReminder?: { stage: number; day: string };
  lastReminder?: { stage: number; day: string; expiresOn: string };
}

const renewalMails = async (email: string) =>
  (await mailTo(email)).filter((m) => m.subject.startsWith('Renew')).length;
const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const MONTHLY = [{ type: 'web-hosting', name: 'monthly-site', periodMonths: 1 }];

async function productOf(token: string, orgId: string, productId: string) {
  return (await api('GET', `/v1/organizations/${orgId}/products/${productId}`, { token })).body as Product;
}

describe('renewal reminders (R25, R26)', () => {
  it('on the due day, the legal representative gets one e-mail listing the product; the product moves to its next stage', async () => {
    const { login, orgId, firstOrder } = await customer(MONTHLY);
    const [product] = firstOrder.products as Product[];
    const due = product?.nextReminder;

    const run = await runWorkflow('RenewalReminders', { day: due?.day });

    expect(run.status).toBe('SUCCEEDED');
    const mails = await mailTo(login.email);
    const reminder = mails.find((m) => m.subject === 'Renew the products of Ada Lovelace');
    expect(reminder?.body.text).toMatch(
      /- monthly-site \(Web hosting\): expires on \d{1,2} [A-Z][a-z]+ \d{4}\n/,
    );
    expect(reminder?.body.text).toContain('paying well in advance so that no domain name is lost');
    const after = await productOf(login.idToken, orgId, String(product?.productId));
    expect(after.nextReminder?.stage).toBeLessThan(Number(due?.stage));
    expect(after.lastReminder).toEqual({ ...due, expiresOn: product?.expiresOn });
  });

  it('a reminder rewrites its product in place: the product stays at its term’s end in the index (issue 16: two write units)', async () => {
    const { orgId, firstOrder } = await customer(MONTHLY);
    const product = firstOrder.products[0] as Product;
    const key = { pk: `ORG#${orgId}`, sk: `PRODUCT#${product.productId}` };
    const before = await table().get(key);

    await runWorkflow('RenewalReminders', { day: product.nextReminder?.day });

    const after = await table().get(key);
    expect(after?.lastReminder).toMatchObject({ stage: product.nextReminder?.stage });
    expect(before).toMatchObject({
      gsi2pk: `DUE#${shardOf(orgId)}`,
      gsi2sk: `${product.expiresOn}#${orgId}#${product.productId}`,
    });
    expect([after?.gsi2pk, after?.gsi2sk]).toEqual([before?.gsi2pk, before?.gsi2sk]);
    expect([after?.gsi1pk, after?.gsi1sk]).toEqual([undefined, undefined]);
  });

  it('never sends a stage twice in one term, even when new stages bring the product back to it (R25)', async () => {
    const { login, orgId, firstOrder } = await customer(MONTHLY);
    const product = firstOrder.products[0] as Product;
    const due = product.nextReminder as { stage: number; day: string };
    await runWorkflow('RenewalReminders', { day: due.day });
    const sent = await renewalMails(login.email);

    // The same stages again: the schedule starts over from today, at the stage already sent.
    await api('PUT', `/v1/organizations/${orgId}/reminder-stages`, {
      token: login.idToken,
      json: { stages: [30, 14, 7, 1, -1] },
    });
    const back = await productOf(login.idToken, orgId, product.productId);
    // A day later (its catch-up window still reads the stage's day), under another e-mail key.
    const rerun = await runWorkflow('RenewalReminders', { day: nextDay(due.day) });

    expect(sent).toBe(1);
    expect(back.nextReminder).toEqual(due);
    expect(rerun.status).toBe('SUCCEEDED');
    expect(await renewalMails(login.email)).toBe(1);
    const after = await productOf(login.idToken, orgId, product.productId);
    expect(after.nextReminder?.stage).toBeLessThan(due.stage);
    expect(after.lastReminder?.day).toBe(due.day);
  });

  it('sends each stage of a term on its day: the next stage after the first (R25)', async () => {
    const { login, orgId, firstOrder } = await customer(MONTHLY);
    const product = firstOrder.products[0] as Product;
    await runWorkflow('RenewalReminders', { day: product.nextReminder?.day });
    const between = await productOf(login.idToken, orgId, product.productId);

    const run = await runWorkflow('RenewalReminders', { day: between.nextReminder?.day });

    expect(run.status).toBe('SUCCEEDED');
    expect(await renewalMails(login.email)).toBe(2);
    const after = await productOf(login.idToken, orgId, product.productId);
    expect(after.lastReminder).toEqual({ ...between.nextReminder, expiresOn: product.expiresOn });
  });

  it('a renewed product is reminded again in its new term, from a stage as early as or earlier than the one sent in the last (R25)', async () => {
    const { login, orgId, firstOrder } = await customer(MONTHLY);
    const product = firstOrder.products[0] as Product;
    const due = product.nextReminder as { stage: number; day: string };
    await runWorkflow('RenewalReminders', { day: due.day });
    // Paid a term ahead: the pro-forma's transfer renews it.
    const created = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: {
        productIds: [product.productId],
        invoiceIds: [firstOrder.invoice.invoiceId],
        paymentMethod: 'iban',
      },
    });
    const { proForma } = created.body as { proForma: { paymentReference: string; total: number } };
    await bankPayment(await newStaff(), proForma.paymentReference, proForma.total);
    const renewed = await productOf(login.idToken, orgId, product.productId);

    const run = await runWorkflow('RenewalReminders', { day: renewed.nextReminder?.day });

    expect(renewed.expiresOn > product.expiresOn).toBe(true);
    expect(renewed.nextReminder?.stage).toBeGreaterThanOrEqual(due.stage);
    expect(run.status).toBe('SUCCEEDED');
    expect(await renewalMails(login.email)).toBe(2);
    const after = await productOf(login.idToken, orgId, product.productId);
    expect(after.lastReminder).toEqual({ ...renewed.nextReminder, expiresOn: renewed.expiresOn });
  });

  it('re-running the same day sends nothing', async () => {
    const { login, firstOrder } = await customer(MONTHLY);
    const day = (firstOrder.products[0] as Product).nextReminder?.day;
    await runWorkflow('RenewalReminders', { day });
    const before = (await mailTo(login.email)).length;

    await runWorkflow('RenewalReminders', { day });

    expect((await mailTo(login.email)).length).toBe(before);
  });

  it('writes to billing members who did not opt out, not to others; one e-mail per account for several products', async () => {
    const { login, orgId, firstOrder } = await customer([
      ...MONTHLY,
      { type: 'mail-service', name: 'mail.example.ch', periodMonths: 1 },
    ]);
    const billing = await addMember(
      login,
      orgId,
      { admin: false, billing: true, products: 'all' },
      'billing',
    );
    const quiet = await addMember(login, orgId, { admin: false, billing: true, products: 'all' }, 'quiet');
    const noBilling = await addMember(
      login,
      orgId,
      { admin: false, billing: false, products: 'all' },
      'tech',
    );
    await api('PATCH', '/v1/me', { token: quiet.idToken, json: { billingNotices: false } });

    await runWorkflow('RenewalReminders', { day: (firstOrder.products[0] as Product).nextReminder?.day });

    const reminders = async (email: string) =>
      (await mailTo(email)).filter((m) => m.subject.startsWith('Renew'));
    const [toOwner] = await reminders(login.email);
    // One line per product.
    expect(toOwner?.body.text).toMatch(/^- monthly-site \(Web hosting\): expires on .+$/m);
    expect(toOwner?.body.text).toMatch(/^- mail\.example\.ch \(Mail service\): expires on .+$/m);
    expect(await reminders(billing.email)).toHaveLength(1);
    expect(await reminders(quiet.email)).toHaveLength(0);
    expect(await reminders(noBilling.email)).toHaveLength(0);
    expect(await reminders(login.email)).toHaveLength(1);
  });

  it('follows the rights as they change: billing given later, taken, a member removed, a new legal representative', async () => {
    const { login, orgId, firstOrder } = await customer(MONTHLY);
    const billing = { admin: false, billing: true, products: 'all' } as const;
    const later = await addMember(login, orgId, MEMBER_RIGHTS, 'later');
    const taken = await addMember(login, orgId, billing, 'taken');
    const removed = await addMember(login, orgId, billing, 'removed');
    const heir = await addMember(login, orgId, MEMBER_RIGHTS, 'heir');
    const rights = (userId: string, json: unknown) =>
      api('PUT', `/v1/organizations/${orgId}/members/${userId}/rights`, { token: login.idToken, json });
    expect((await rights(later.userId, billing)).status).toBe(200);
    expect((await rights(taken.userId, MEMBER_RIGHTS)).status).toBe(200);
    const gone = await api('DELETE', `/v1/organizations/${orgId}/members/${removed.userId}`, {
      token: login.idToken,
    });
    const appointed = await api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
      token: login.idToken,
      json: { userId: heir.userId },
    });
    expect([gone.status, appointed.status]).toEqual([204, 200]);

    await runWorkflow('RenewalReminders', { day: (firstOrder.products[0] as Product).nextReminder?.day });

    // The account item names exactly its billing members (docs/data-model.md).
    const account = await table().get({ pk: `ORG#${orgId}`, sk: 'ORG' });
    expect([...((account?.billingMembers as Set<string> | undefined) ?? [])].sort()).toEqual(
      [login.userId, later.userId, heir.userId].sort(),
    );
    expect(await renewalMails(later.email)).toBe(1);
    expect(await renewalMails(heir.email)).toBe(1);
    expect(await renewalMails(login.email)).toBe(1);
    expect(await renewalMails(taken.email)).toBe(0);
    expect(await renewalMails(removed.email)).toBe(0);
  });

  it('an account stored before its item named its billing members still reminds them', async () => {
    const { login, orgId, firstOrder } = await customer(MONTHLY);
    const billing = await addMember(login, orgId, { admin: false, billing: true, products: 'all' }, 'old');
    await documentClient().send(
      new UpdateCommand({
        TableName: local().tableName,
        Key: { pk: `ORG#${orgId}`, sk: 'ORG' },
        UpdateExpression: 'REMOVE billingMembers',
      }),
    );

    await runWorkflow('RenewalReminders', { day: (firstOrder.products[0] as Product).nextReminder?.day });

    expect(await renewalMails(login.email)).toBe(1);
    expect(await renewalMails(billing.email)).toBe(1);
  });

  it('a product whose account item is gone (a deletion under way) is moved on without an e-mail; the run succeeds', async () => {
    const { login, orgId, firstOrder } = await customer(MONTHLY);
    const product = firstOrder.products[0] as Product;
    await documentClient().send(
      new DeleteCommand({ TableName: local().tableName, Key: { pk: `ORG#${orgId}`, sk: 'ORG' } }),
    );

    const run = await runWorkflow('RenewalReminders', { day: product.nextReminder?.day });

    expect(run.status).toBe('SUCCEEDED');
    expect(await renewalMails(login.email)).toBe(0);
    const after = await table().get({ pk: `ORG#${orgId}`, sk: `PRODUCT#${product.productId}` });
    expect(after?.lastReminder).toMatchObject({ day: product.nextReminder?.day });
  });

  it('a busy shard is worked in several steps, each going on after the last; every account once', async () => {
    // Accounts until two share a shard: with one account per step, that shard needs two steps.
    const accounts: Awaited<ReturnType<typeof customer>>[] = [];
    while (new Set(accounts.map((a) => shardOf(a.orgId))).size === accounts.length)
      accounts.push(await customer(MONTHLY));
    const day = (accounts[0]?.firstOrder.products[0] as Product | undefined)?.nextReminder?.day;

    const run = await runWorkflow('RenewalReminders', { day, accountsPerStep: 1 });

    expect(run.status).toBe('SUCCEEDED');
    for (const { login, orgId, firstOrder } of accounts) {
      expect(await renewalMails(login.email)).toBe(1);
      const product = firstOrder.products[0] as Product;
      expect((await productOf(login.idToken, orgId, product.productId)).lastReminder?.day).toBe(day);
    }
    type Outcome = { shard: number; steps: number; reminded: number; emails: number };
    const shards = (JSON.parse(run.output ?? '{}') as { shards: Outcome[] }).shards;
    const shared = shards.find((s) => s.shard === shardOf(accounts.at(-1)?.orgId ?? ''));
    // One account per step: the shard two of them share took a step each, and counted both.
    expect(shared?.steps).toBeGreaterThanOrEqual(2);
    expect(shared?.reminded).toBeGreaterThanOrEqual(2);
    expect(shared?.emails).toBeGreaterThanOrEqual(2);
  });

  it('a product whose claim is refused (it changed meanwhile) is left to the next run, not retried by the shard’s next step', async () => {
    const accounts: Awaited<ReturnType<typeof customer>>[] = [];
    while (new Set(accounts.map((a) => shardOf(a.orgId))).size === accounts.length)
      accounts.push(await customer(MONTHLY));
    const shard = shardOf(accounts.at(-1)?.orgId ?? '');
    // The first of the pair in the step order: a step after it follows.
    const [refused] = accounts
      .filter((a) => shardOf(a.orgId) === shard)
      .sort((a, b) => (a.orgId < b.orgId ? -1 : 1));
    const product = refused?.firstOrder.products[0] as Product;
    await failCalls(
      'RenewalRemindersStepsRemindShard',
      'UpdateItem',
      'ConditionalCheckFailedException',
      1,
      product.productId,
    );

    const run = await runWorkflow('RenewalReminders', { day: product.nextReminder?.day, accountsPerStep: 1 });

    expect(run.status).toBe('SUCCEEDED');
    expect(await renewalMails(refused?.login.email ?? '')).toBe(0);
    expect(
      (await productOf(refused?.login.idToken ?? '', refused?.orgId ?? '', product.productId)).nextReminder,
    ).toEqual(product.nextReminder);
  });

  it('refuses a run asking for larger steps than the limit, naming the field', async () => {
    const run = await runWorkflow('RenewalReminders', { day: '2031-01-01', accountsPerStep: 501 });

    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain('accountsPerStep');
  });

  it('a terminated product gets no more reminders', async () => {
    const { login, orgId, firstOrder } = await customer(MONTHLY);
    const product = firstOrder.products[0] as Product;
    await api('POST', `/v1/organizations/${orgId}/products/${product.productId}/termination`, {
      token: login.idToken,
    });

    await runWorkflow('RenewalReminders', { day: product.nextReminder?.day });

    expect((await mailTo(login.email)).filter((m) => m.subject.startsWith('Renew'))).toEqual([]);
    // It has left the term-end index: no daily run reads it again.
    const stored = await table().get({ pk: `ORG#${orgId}`, sk: `PRODUCT#${product.productId}` });
    expect(stored).toMatchObject({ status: 'terminated' });
    expect(stored?.gsi2pk).toBeUndefined();
  });

  it('with no stage chosen by any account, a run reads the default stages', async () => {
    const { login, firstOrder } = await customer(MONTHLY);
    const product = firstOrder.products[0] as Product;
    // The tests of this file run one after another; no other file runs the workflow with chosen stages.
    await documentClient().send(
      new DeleteCommand({ TableName: local().tableName, Key: { pk: 'REMINDERS', sk: 'STAGES' } }),
    );

    const run = await runWorkflow('RenewalReminders', { day: product.nextReminder?.day });

    expect(run.status).toBe('SUCCEEDED');
    expect(await renewalMails(login.email)).toBe(1);
  });

  it('an account may choose its own stages; a run a few days late still sends the missed stage', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'domain', name: 'example.ch', periodMonths: 12 },
    ]);
    const product = firstOrder.products[0] as Product;
    // No other test chooses 45: the run reads its terms only because this choice registers it.
    await documentClient().send(
      new UpdateCommand({
        TableName: local().tableName,
        Key: { pk: 'REMINDERS', sk: 'STAGES' },
        UpdateExpression: 'DELETE stages :chosen',
        ExpressionAttributeValues: { ':chosen': new Set([45]) },
      }),
    );

    const chosen = await api('PUT', `/v1/organizations/${orgId}/reminder-stages`, {
      token: login.idToken,
      json: { stages: [45, 3] },
    });
    const rescheduled = await productOf(login.idToken, orgId, product.productId);
    const lateDay = new Date(`${rescheduled.nextReminder?.day}T00:00:00Z`);
    lateDay.setUTCDate(lateDay.getUTCDate() + 2);
    await runWorkflow('RenewalReminders', { day: lateDay.toISOString().slice(0, 10) });

    expect(chosen).toMatchObject({
      status: 200,
      body: { stages: [45, 3], custom: true, productsRescheduled: 1 },
    });
    expect(rescheduled.nextReminder?.stage).toBe(45);
    expect((await mailTo(login.email)).filter((m) => m.subject.startsWith('Renew'))).toHaveLength(1);
    expect((await productOf(login.idToken, orgId, product.productId)).nextReminder?.stage).toBe(3);
  });

  it('null goes back to the default stages; a terminated product is not rescheduled and gets no reminder again (R14, R25)', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'web-hosting', name: 'kept', periodMonths: 12 },
      { type: 'web-hosting', name: 'ended', periodMonths: 12 },
    ]);
    const [kept, ended] = firstOrder.products as unknown as Product[];
    const path = `/v1/organizations/${orgId}/reminder-stages`;
    await api('POST', `/v1/organizations/${orgId}/products/${ended?.productId}/termination`, {
      token: login.idToken,
    });
    await api('PUT', path, { token: login.idToken, json: { stages: [20] } });

    const reset = await api('PUT', path, { token: login.idToken, json: { stages: null } });

    expect(reset).toMatchObject({
      status: 200,
      body: { stages: [30, 14, 7, 1, -1], custom: false, productsRescheduled: 1 },
    });
    expect((await productOf(login.idToken, orgId, kept?.productId ?? '')).nextReminder?.stage).toBe(30);
    expect((await productOf(login.idToken, orgId, ended?.productId ?? '')).nextReminder).toBeUndefined();
  });

  it('stages that all fall before today leave a product no reminder this term (R25)', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'web-hosting', name: 'soon', periodMonths: 1 },
    ]);
    const product = firstOrder.products[0] as Product;

    // The term ends in about a month: 45 days before its end was two weeks ago.
    const chosen = await api('PUT', `/v1/organizations/${orgId}/reminder-stages`, {
      token: login.idToken,
      json: { stages: [45] },
    });

    expect(chosen).toMatchObject({ status: 200, body: { stages: [45], productsRescheduled: 1 } });
    expect((await productOf(login.idToken, orgId, product.productId)).nextReminder).toBeUndefined();
  });

  it('refuses stages more than 60 days ahead (400) and keeps the schedule', async () => {
    const { login, orgId, firstOrder } = await customer();
    const product = firstOrder.products[0] as Product;

    const response = await api('PUT', `/v1/organizations/${orgId}/reminder-stages`, {
      token: login.idToken,
      json: { stages: [90] },
    });

    expect(response.status).toBe(400);
    expect((await productOf(login.idToken, orgId, product.productId)).nextReminder).toEqual(
      product.nextReminder,
    );
  });
});
