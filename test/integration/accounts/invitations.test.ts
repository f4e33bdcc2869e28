import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { invitationKeys } from '../../../functions/core/entities/invitation.ts';
import {
  accountOwner,
  addMember,
  api,
  awsClientConfig,
  delaysLeft,
  eventually,
  holdWrites,
  linkToken,
  local,
  MEMBER_RIGHTS,
  mailTo,
  newLogin,
  overrideTaskTimeout,
  table,
  waitForMail,
} from '../helpers.ts';

interface Invitation {
  invitationId: string;
  status: string;
  email: string;
  resendCount: number;
}

const invite = (token: string, orgId: string, json: unknown) =>
  api('POST', `/v1/organizations/${orgId}/invitations`, { token, json });
const acceptWith = (token: string, linkTokenValue: string) =>
  api('POST', '/v1/invitations/acceptances', { token, json: { token: linkTokenValue } });
const invitationsOf = async (token: string, orgId: string) =>
  (await api('GET', `/v1/organizations/${orgId}/invitations`, { token })).body as { items: Invitation[] };

const executionOf = (invitationId: string) =>
  `${local().stateMachines.Invitation?.replace(':stateMachine:', ':execution:')}:${invitationId}`;
const sfn = () => new SFNClient(awsClientConfig());

describe('invitations (R9)', () => {
  it('e-mails the invitee in their language with a plain-text part, and the link adds the account to their list', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('invitee');

    const invited = await invite(owner.idToken, orgId, {
      email: invitee.email,
      rights: { admin: false, billing: true, products: 'all' },
      language: 'it',
    });

    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ status: 'pending', email: invitee.email, language: 'it' });
    expect(JSON.stringify(invited.body)).not.toMatch(/tokenHash|taskToken/);
    const [mail] = await waitForMail(invitee.email);
    expect(mail?.subject).toBe('Invito a unirti a Ada Lovelace');
    expect(mail?.body.text).toContain(`${owner.email} ti invita a gestire l’account cliente Ada Lovelace`);
    expect(mail?.body.html).toContain('<a href=');

    const accepted = await acceptWith(invitee.idToken, linkToken(mail as never));

    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({
      organizationId: orgId,
      organizationName: 'Ada Lovelace',
      role: 'member',
    });
    const mine = await api('GET', '/v1/me/organizations', { token: invitee.idToken });
    expect(mine.body).toEqual({
      items: [
        {
          organizationId: orgId,
          name: 'Ada Lovelace',
          role: 'member',
          rights: { legalRepresentative: false, admin: false, billing: true, products: 'all' },
        },
      ],
      nextCursor: null,
    });
  });

  it('the e-mail is claimed before it is sent, and the claim lasts 30 days: what keeps a retried step from mailing twice', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('claimed');

    const invited = await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    await waitForMail(invitee.email);

    const { invitationId } = invited.body as Invitation;
    const marker = await table().get({ pk: `EMAIL#invitation:${invitationId}:send:0`, sk: 'EMAIL' });
    expect(marker).toMatchObject({ type: 'EmailSent', to: invitee.email, template: 'invitation' });
    // expiresAt is the table's TTL attribute (epoch seconds): the marker goes once no retry can come.
    const days = (Number(marker?.expiresAt) - Date.now() / 1000) / 86_400;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('tells the inviter of the acceptance and ends the workflow as accepted', async () => {
    const { login: owner, orgId } = await accountOwner();
    await addMember(owner, orgId);
    const [invitation] = (await invitationsOf(owner.idToken, orgId)).items;

    const [notice] = await waitForMail(owner.email);
    expect(notice?.subject).toMatch(/accepted your invitation$/);
    const execution = await eventually(async () => {
      const e = await sfn().send(
        new DescribeExecutionCommand({ executionArn: executionOf(String(invitation?.invitationId)) }),
      );
      return e.status === 'SUCCEEDED' ? e : undefined;
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(invitation?.status).toBe('accepted');
  });

  it('accepting twice gives the same result; the used link is refused to anybody else (410)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('twice');
    await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    const token = linkToken((await waitForMail(invitee.email))[0] as never);

    const first = await acceptWith(invitee.idToken, token);
    const second = await acceptWith(invitee.idToken, token);
    const stranger = await acceptWith((await newLogin('stranger')).idToken, token);
    // A member of the account already, but not the one who accepted it: used all the same.
    const otherMember = await acceptWith(owner.idToken, token);

    expect(second).toMatchObject({ status: 200, body: first.body });
    for (const refused of [stranger, otherMember]) {
      expect(refused).toMatchObject({
        status: 410,
        body: { detail: 'This invitation has already been used.' },
      });
    }
    const members = await api('GET', `/v1/organizations/${orgId}/members`, { token: owner.idToken });
    expect((members.body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('resumes the workflow with the token parked last when the one the acceptance read was spent (its step retried meanwhile)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('resumed');
    const invited = await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    const { invitationId } = invited.body as Invitation;
    const link = linkToken((await waitForMail(invitee.email))[0] as never);
    const key = invitationKeys(orgId, invitationId);
    const parked = String((await table().get(key))?.taskToken);
    // The acceptance reads a token that no task waits on any more; while its transaction is
    // held, the step's retry parks its own (the waiting one).
    await table().set(key, { taskToken: `${parked}-spent` });

    await holdWrites('AcceptInvitation', 1, 'TransactWriteItems', 400, invitationId);
    const accepting = acceptWith(invitee.idToken, link);
    await eventually(async () => (await delaysLeft(invitationId)) === 0 || undefined);
    await table().set(key, { taskToken: parked });
    const accepted = await accepting;

    expect(accepted.status).toBe(200);
    const [notice] = await waitForMail(owner.email);
    expect(notice?.subject).toMatch(/accepted your invitation$/);
  });

  it('a revoked invitation cannot be accepted (410) and its workflow is stopped', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('revoked');
    const invited = await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    const { invitationId } = invited.body as Invitation;
    const token = linkToken((await waitForMail(invitee.email))[0] as never);

    const revoked = await api('DELETE', `/v1/organizations/${orgId}/invitations/${invitationId}`, {
      token: owner.idToken,
    });
    const accepted = await acceptWith(invitee.idToken, token);

    const again = await api('DELETE', `/v1/organizations/${orgId}/invitations/${invitationId}`, {
      token: owner.idToken,
    });
    const resent = await api('POST', `/v1/organizations/${orgId}/invitations/${invitationId}/resend`, {
      token: owner.idToken,
    });
    const unknown = await api('DELETE', `/v1/organizations/${orgId}/invitations/01ARZ3NDEKTSV4RRFFQ69G5FAV`, {
      token: owner.idToken,
    });

    expect(revoked).toMatchObject({ status: 200, body: { status: 'revoked' } });
    expect(again).toMatchObject({ status: 409, body: { detail: 'The invitation is already revoked.' } });
    expect(resent).toMatchObject({ status: 409, body: { detail: 'The invitation is revoked.' } });
    expect(unknown).toMatchObject({
      status: 404,
      body: { detail: 'No invitation 01ARZ3NDEKTSV4RRFFQ69G5FAV in this account.' },
    });
    expect(accepted).toMatchObject({
      status: 410,
      body: { type: '/problems/gone', detail: 'This invitation was revoked.' },
    });
    const execution = await sfn().send(
      new DescribeExecutionCommand({ executionArn: executionOf(invitationId) }),
    );
    expect(execution.status).toBe('ABORTED');
    expect((await api('GET', '/v1/me/organizations', { token: invitee.idToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('expires after its validity: the inviter is told, and the link is refused (shortened wait)', async () => {
    const { login: owner, orgId } = await accountOwner('expiry');
    await overrideTaskTimeout('SendInvitation', 1, { organizationId: orgId });
    const invitee = await newLogin('late');
    await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    const token = linkToken((await waitForMail(invitee.email))[0] as never);

    const [notice] = await waitForMail(owner.email);
    const accepted = await acceptWith(invitee.idToken, token);

    expect(notice?.subject).toMatch(/invitation to .* expired$/);
    expect((await invitationsOf(owner.idToken, orgId)).items[0]?.status).toBe('expired');
    expect(accepted).toMatchObject({ status: 410, body: { detail: 'This invitation has expired.' } });
  });

  it('a new invitation to the same address is refused while one is pending, and possible once it ended', async () => {
    const { login: owner, orgId } = await accountOwner();
    const email = `again-${Date.now()}@example.com`;
    const first = await invite(owner.idToken, orgId, { email, rights: MEMBER_RIGHTS });

    const duplicate = await invite(owner.idToken, orgId, {
      email: email.toUpperCase(),
      rights: MEMBER_RIGHTS,
    });
    await api('DELETE', `/v1/organizations/${orgId}/invitations/${(first.body as Invitation).invitationId}`, {
      token: owner.idToken,
    });
    const afterRevoke = await invite(owner.idToken, orgId, { email, rights: MEMBER_RIGHTS });

    expect(duplicate).toMatchObject({
      status: 409,
      body: {
        type: '/problems/conflict',
        detail: `${email} already has a pending invitation to this account; resend or revoke it.`,
      },
    });
    expect(afterRevoke.status).toBe(201);
  });

  it('resending replaces the link (the older one stops working) and is limited to 3 times', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('resend');
    const invited = await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    const { invitationId } = invited.body as Invitation;
    const oldToken = linkToken((await waitForMail(invitee.email))[0] as never);
    const resendPath = `/v1/organizations/${orgId}/invitations/${invitationId}/resend`;

    const resends = [];
    for (let i = 0; i < 4; i++) resends.push(await api('POST', resendPath, { token: owner.idToken }));

    expect(resends.map((r) => r.status)).toEqual([200, 200, 200, 409]);
    expect(resends.slice(0, 3).map((r) => (r.body as Invitation).resendCount)).toEqual([1, 2, 3]);
    const mails = await waitForMail(invitee.email, 4);
    expect(mails).toHaveLength(4);
    expect(await acceptWith(invitee.idToken, oldToken)).toMatchObject({
      status: 404,
      body: { detail: 'This invitation link is not valid; a newer invitation e-mail may have replaced it.' },
    });
    expect((await acceptWith(invitee.idToken, linkToken(mails[3] as never))).status).toBe(200);
  });

  it('refuses to invite an existing member (409)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId);

    const response = await invite(owner.idToken, orgId, { email: member.email, rights: MEMBER_RIGHTS });

    expect(response).toMatchObject({
      status: 409,
      body: { detail: `${member.email} is already a member of this account.` },
    });
  });

  it('a member who opens an invitation meant for someone else is told they are a member already (409)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId);
    const invitee = await newLogin('meant');
    await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    const token = linkToken((await waitForMail(invitee.email))[0] as never);

    const response = await acceptWith(member.idToken, token);
    const later = await acceptWith(invitee.idToken, token);

    expect(response).toMatchObject({
      status: 409,
      body: { detail: 'You are already a member of this account.' },
    });
    // The invitation is still the invitee's to accept.
    expect(later.status).toBe(200);
  });

  it('a link to an invitation that does not exist is refused with 404, saying so', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('nowhere');
    await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    const [org, , secret] = linkToken((await waitForMail(invitee.email))[0] as never).split('.');

    const response = await acceptWith(invitee.idToken, `${org}.01ARZ3NDEKTSV4RRFFQ69G5FAV.${secret}`);

    expect(response).toMatchObject({ status: 404, body: { detail: 'This invitation does not exist.' } });
    expect(await acceptWith(invitee.idToken, `${org}.${secret}`)).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/token', detail: 'Not an invitation token.' }] },
    });
  });

  it('refuses a forged link (right ids, wrong secret) with 404, and adds nobody', async () => {
    const { login: owner, orgId } = await accountOwner();
    const invitee = await newLogin('forger');
    await invite(owner.idToken, orgId, { email: invitee.email, rights: MEMBER_RIGHTS });
    const real = linkToken((await waitForMail(invitee.email))[0] as never);
    const forged = `${real.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;

    const response = await acceptWith(invitee.idToken, forged);

    expect(response.status).toBe(404);
    expect((await api('GET', '/v1/me/organizations', { token: invitee.idToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it.each([
    ['a malformed address', { email: 'not-an-address', rights: MEMBER_RIGHTS }, '/body/email'],
    ['unknown rights', { email: 'x@example.com', rights: { ...MEMBER_RIGHTS, owner: true } }, '/body/rights'],
    [
      'a product list with a bad id',
      { email: 'x@example.com', rights: { ...MEMBER_RIGHTS, products: ['1'] } },
      '/body/rights/products/0',
    ],
    [
      'a language we do not write',
      { email: 'x@example.com', rights: MEMBER_RIGHTS, language: 'es' },
      '/body/language',
    ],
  ])('refuses %s with 400 and creates no invitation', async (_, json, pointer) => {
    const { login: owner, orgId } = await accountOwner();

    const response = await invite(owner.idToken, orgId, json);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [expect.objectContaining({ pointer })] });
    expect((await invitationsOf(owner.idToken, orgId)).items).toEqual([]);
    expect(await mailTo('x@example.com')).toEqual([]);
  });
});
