import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Login } from '../../../infra/local/identity.ts';
import { callApi } from '../../fixtures/client.ts';
import {
  ADDRESS,
  accountOwner,
  api,
  control,
  customer,
  delaysLeft,
  deletableCustomer,
  eventually,
  failCalls,
  faultsLeft,
  injectFault,
  linkToken,
  local,
  MEMBER_RIGHTS,
  mailTo,
  newLogin,
  newStaff,
  order,
  type PlacedOrder,
  runWorkflow,
  startedWorkflowEnd,
  waitForMail,
  waitForSubject,
} from '../helpers.ts';

/**
 * Fault injection (section 9): a step or handler crashes right after doing its work, once;
 * the retry (Step Functions', or the client's with the same key) must not do it twice.
 */
/** The e-mail to `address` arrives, once, and the failure asked for with `fault` (its `contains`) happened. */
async function deliveredOnceDespite(address: string, fault: string) {
  const [mail] = await waitForMail(address);
  expect(await delaysLeft(fault)).toBe(0);
  expect(await mailTo(address)).toHaveLength(1);
  return mail;
}

describe('exactly once under a crash after the work was done', () => {
  it('invitation e-mail: the send step crashes after sending; the retry sends nothing more and the link works', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('crash');
    await injectFault({
      entry: 'workflows/invitation/steps/send-invitation.ts',
      contains: orgId,
      when: 'after',
    });

    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email: invitee.email, rights: MEMBER_RIGHTS },
    });
    const [mail] = await waitForMail(invitee.email);
    // The retry comes 2 s after the crash. Accepted before it, the invitation would stop the
    // retry on its own: wait until the retry has claimed the e-mail again (and been refused).
    const marker = `EMAIL#invitation:${(invited.body as { invitationId: string }).invitationId}:send:0`;
    await eventually(async () => {
      const { calls } = (await control(
        'GET',
        `/calls?principal=InvitationStepsSendInvitation&mentions=${encodeURIComponent(marker)}`,
      )) as { calls: unknown[] };
      return calls.length >= 2 || undefined;
    });
    // An e-mail sent by the retry would follow its claim at once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await mailTo(invitee.email)).toHaveLength(1);
    const accepted = await api('POST', '/v1/invitations/acceptances', {
      token: invitee.idToken,
      json: { token: linkToken(mail as never) },
    });

    expect(await faultsLeft(orgId)).toBe(0);
    expect(accepted.status).toBe(200);
    await waitForSubject(owner.email, /accepted your invitation$/);
    expect(await mailTo(invitee.email)).toHaveLength(1);
  });

  it('renewal reminder: the shard step crashes after sending; the retry sends nothing more', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'web-hosting', name: 'crashy', periodMonths: 1 },
    ]);
    const day = (firstOrder.products[0] as unknown as { nextReminder: { day: string } }).nextReminder.day;
    await injectFault({
      entry: 'workflows/renewal-reminders/steps/remind-shard.ts',
      contains: day,
      when: 'after',
    });

    const run = await runWorkflow('RenewalReminders', { day });

    expect(await faultsLeft(day)).toBe(0);
    expect(run.status).toBe('SUCCEEDED');
    expect((await mailTo(login.email)).filter((m) => m.subject.startsWith('Renew'))).toHaveLength(1);
    expect(orgId).toBeTruthy();
  });

  it('renewal reminder: SES refuses the e-mail; the stage is taken back and the retry sends it once', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'web-hosting', name: 'refused', periodMonths: 1 },
    ]);
    const product = firstOrder.products[0] as unknown as { productId: string; nextReminder: { day: string } };
    await failCalls('RenewalRemindersStepsRemindShard', 'SendEmail', 'AccountSendingPausedException');

    const run = await runWorkflow('RenewalReminders', { day: product.nextReminder.day });

    expect(run.status).toBe('SUCCEEDED');
    expect((await mailTo(login.email)).filter((m) => m.subject.startsWith('Renew'))).toHaveLength(1);
    const after = await api('GET', `/v1/organizations/${orgId}/products/${product.productId}`, {
      token: login.idToken,
    });
    expect((after.body as { lastReminder?: { day: string } }).lastReminder?.day).toBe(
      product.nextReminder.day,
    );
  });

  it('invitation e-mail: SES refuses it once; the claim is given back and the retry sends it, once', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('refused');
    await failCalls(
      'InvitationStepsSendInvitation',
      'SendEmail',
      'AccountSendingPausedException',
      1,
      invitee.email,
    );

    await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email: invitee.email, rights: MEMBER_RIGHTS },
    });

    const mail = await deliveredOnceDespite(invitee.email, invitee.email);
    expect(mail?.subject).toMatch(/invit/i);
  });

  it.each([
    {
      what: 'SES refuses it once; the retried step is the same request, not a second one cooling down',
      operation: 'SendEmail',
      code: 'AccountSendingPausedException',
      on: (login: Login) => login.email,
    },
    {
      what: 'the database fails taking the cooldown; the step fails and its retry',
      operation: 'UpdateItem',
      code: 'ValidationException',
      on: (login: Login) => login.userId,
    },
    {
      // A 500, retried by the SDK itself (3 attempts); failed each time, the step fails.
      what: 'Cognito fails looking the login up (not "no such login"); the step fails and its retry',
      operation: 'AdminGetUser',
      code: 'InternalErrorException',
      times: 3,
      on: (login: Login) => login.email,
    },
  ])('password reset e-mail: $what sends it, once', async ({ operation, code, on, times = 1 }) => {
    const login = await newLogin('reset-fault');
    await failCalls('PasswordResetStepsSendPasswordReset', operation, code, times, on(login));

    const asked = await api('POST', '/v1/password-resets', { json: { email: login.email } });

    expect(asked.status).toBe(202);
    const mail = await deliveredOnceDespite(login.email, on(login));
    expect(mail?.subject).toMatch(/password/i);
  });

  it('renewal reminder: the database fails recording the stage; the step fails and its retry sends the reminder', async () => {
    const { login, firstOrder } = await customer([
      { type: 'web-hosting', name: 'unrecorded', periodMonths: 1 },
    ]);
    const product = firstOrder.products[0] as unknown as { productId: string; nextReminder: { day: string } };
    await failCalls(
      'RenewalRemindersStepsRemindShard',
      'UpdateItem',
      'ValidationException',
      1,
      `PRODUCT#${product.productId}`,
    );

    const run = await runWorkflow('RenewalReminders', { day: product.nextReminder.day });

    expect(run.status).toBe('SUCCEEDED');
    expect((await mailTo(login.email)).filter((m) => m.subject.startsWith('Renew'))).toHaveLength(1);
  });

  it('account deletion: the final step crashes after its e-mail; the retry sends no second goodbye', async () => {
    const c = await deletableCustomer();
    await injectFault({
      entry: 'workflows/account-deletion/steps/finish.ts',
      contains: c.orgId,
      when: 'after',
    });
    await injectFault({
      entry: 'workflows/account-deletion/steps/remove-access.ts',
      contains: c.orgId,
      when: 'after',
    });

    await api('POST', `/v1/organizations/${c.orgId}/deletion`, { token: c.login.idToken });
    const confirmation = await waitForSubject(c.login.email, /^Confirm the deletion/);
    await api('POST', '/v1/account-deletions/confirmations', { json: { token: linkToken(confirmation) } });
    await waitForSubject(c.login.email, /was deleted$/);
    // The goodbye comes before the crash: count e-mails once the retry is over too.
    expect((await startedWorkflowEnd(c.orgId)).status).toBe('SUCCEEDED');

    expect(await faultsLeft(c.orgId)).toBe(0);
    expect((await mailTo(c.login.email)).filter((m) => m.subject.endsWith('was deleted'))).toHaveLength(1);
    expect((await api('GET', `/v1/organizations/${c.orgId}`, { token: c.login.idToken })).status).toBe(404);
  });

  it('order: the handler crashes after committing; the client’s retry with the same key consumes the credit and the promo once', async () => {
    const staff = await newStaff();
    const code = `F${randomUUID().slice(0, 8).toUpperCase()}`;
    await api('POST', '/v1/staff/promo-codes', {
      token: staff.idToken,
      json: {
        code,
        percentOff: 1000,
        validFrom: '2020-01-01T00:00:00Z',
        validUntil: '2099-01-01T00:00:00Z',
        productTypes: ['domain'],
        maxRedemptions: 2,
      },
    });
    const { login, orgId } = await customer();
    const credit = await api('POST', `/v1/staff/organizations/${orgId}/credits`, {
      token: staff.idToken,
      json: { productType: 'domain', amount: 500 },
    });
    const creditId = (credit.body as { creditId: string }).creditId;
    const body = {
      organizationId: orgId,
      items: [{ type: 'domain', name: 'crash.ch', periodMonths: 12, creditId }],
      paymentMethod: 'iban',
      promoCode: code,
    };
    const key = randomUUID();
    await injectFault({ entry: 'functions/orders/place.ts', contains: key, when: 'after' });

    const crashed = await order(login.idToken, body, key);
    const retried = await order(login.idToken, body, key);
    const others = [await customer(), await customer()];
    const second = await order(others[0]?.login.idToken ?? '', {
      organizationId: others[0]?.orgId,
      items: [{ type: 'domain', name: 'o.ch', periodMonths: 12 }],
      paymentMethod: 'iban',
      promoCode: code,
    });
    const third = await order(others[1]?.login.idToken ?? '', {
      organizationId: others[1]?.orgId,
      items: [{ type: 'domain', name: 'p.ch', periodMonths: 12 }],
      paymentMethod: 'iban',
      promoCode: code,
    });

    expect(await faultsLeft(key)).toBe(0);
    expect(crashed.status).toBe(500);
    expect(retried.status).toBe(201);
    const invoiceId = (retried.body as PlacedOrder).invoice.invoiceId;
    const credits = await api('GET', `/v1/organizations/${orgId}/credits`, { token: login.idToken });
    expect(credits.body).toMatchObject({
      items: [{ creditId, consumedByInvoice: invoiceId, available: false }],
    });
    const invoices = await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken });
    expect((invoices.body as { items: unknown[] }).items).toHaveLength(2);
    expect([second.status, third.status]).toEqual([201, 409]);
  });

  it('bank payment: the import crashes after recording; re-importing the same bank transaction counts once', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();
    const payment = {
      bankTransactionId: `crash-${orgId}`,
      reference: firstOrder.invoice.paymentReference,
      amount: firstOrder.invoice.total + 1000,
      currency: 'CHF',
    };
    await injectFault({
      entry: 'functions/staff/record-bank-payment.ts',
      contains: payment.bankTransactionId,
      when: 'after',
    });

    const crashed = await api('POST', '/v1/staff/bank-payments', { token: staff.idToken, json: payment });
    const retried = await api('POST', '/v1/staff/bank-payments', { token: staff.idToken, json: payment });
    const statement = await api('GET', `/v1/organizations/${orgId}/prepaid`, { token: login.idToken });

    expect(crashed.status).toBe(500);
    expect(retried.body).toMatchObject({ duplicate: true });
    expect(statement.body).toMatchObject({ balance: 1000, entries: [{ amount: 1000 }] });
  });
});

describe('an invitation whose workflow did not start', () => {
  it('is a 500 that leaves the address free: the invitation is ended, and inviting again works', async () => {
    const { login: owner, orgId } = await accountOwner();
    const email = `unstarted-${randomUUID()}@example.com`;
    const json = { email, rights: MEMBER_RIGHTS };
    await failCalls('Invite', 'StartExecution', 'StateMachineDeleting', 1, orgId);

    // Not through api(): the contract declares no 500.
    const failed = await callApi(local().apiUrl, 'POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json,
    });
    const again = await api('POST', `/v1/organizations/${orgId}/invitations`, { token: owner.idToken, json });

    expect(failed.status).toBe(500);
    expect(again.status).toBe(201);
    const listed = await api('GET', `/v1/organizations/${orgId}/invitations`, { token: owner.idToken });
    expect((listed.body as { items: { status: string }[] }).items.map((i) => i.status).sort()).toEqual([
      'pending',
      'revoked',
    ]);
    // One e-mail: the second invitation's (the first never had a workflow to send one).
    expect(await waitForMail(email)).toHaveLength(1);
  });
});

describe('a database failure is a 500, never a rule’s answer', () => {
  it('creating a promo code: a failed write is a 500, not “exists already”, and the retry creates it', async () => {
    const staff = await newStaff();
    const code = `F${randomUUID().slice(0, 8).toUpperCase()}`;
    const json = {
      code,
      percentOff: 1000,
      validFrom: '2020-01-01T00:00:00Z',
      validUntil: '2099-01-01T00:00:00Z',
      productTypes: ['domain'],
      maxRedemptions: 5,
    };
    await failCalls('CreatePromoCode', 'PutItem', 'ValidationException', 1, code);

    // Not through api(): the contract declares no 500, which a failing database is.
    const failed = await callApi(local().apiUrl, 'POST', '/v1/staff/promo-codes', {
      token: staff.idToken,
      json,
    });
    const retried = await api('POST', '/v1/staff/promo-codes', { token: staff.idToken, json });

    expect(failed.status).toBe(500);
    expect(retried).toMatchObject({ status: 201, body: { code, redemptions: 0 } });
  });

  it('an account’s first address: a failure making it the default is a 500, not a 201 without a default, and the retry makes one', async () => {
    const { login, orgId } = await accountOwner('first-address');
    await failCalls('AddAddress', 'UpdateItem', 'ValidationException', 1, orgId);
    const path = `/v1/organizations/${orgId}/billing-addresses`;

    const failed = await callApi(local().apiUrl, 'POST', path, { token: login.idToken, json: ADDRESS });
    const retried = await api('POST', path, { token: login.idToken, json: ADDRESS });

    expect(failed.status).toBe(500);
    expect(retried.status).toBe(201);
    const account = await api('GET', `/v1/organizations/${orgId}`, { token: login.idToken });
    expect(account.body).toMatchObject({
      defaultBillingAddressId: (retried.body as { addressId: string }).addressId,
    });
  });
});
