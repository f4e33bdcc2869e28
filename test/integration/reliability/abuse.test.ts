import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accountOwner,
  addMember,
  api,
  auditLog,
  awsClientConfig,
  control,
  eventually,
  failCalls,
  local,
  MEMBER_RIGHTS,
  mailTo,
  newLogin,
  PERSON,
  table,
  waitForMail,
} from '../helpers.ts';

/**
 * Issue 13, tried as an attacker would: each attack is refused, changes nothing and sends no
 * e-mail. (Forged JWTs, cross-account ids and mass assignment: authorization-matrix, tenant-isolation.)
 */

const PASSWORD = 'Test-Passw0rd!';
let cognitoClient: CognitoIdentityProviderClient | undefined;
const cognito = () => {
  cognitoClient ??= new CognitoIdentityProviderClient(awsClientConfig('cognito'));
  return cognitoClient;
};
afterAll(() => cognitoClient?.destroy());

async function signIn(email: string) {
  const { AuthenticationResult } = await cognito().send(
    new InitiateAuthCommand({
      ClientId: local().userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  return {
    idToken: String(AuthenticationResult?.IdToken),
    accessToken: String(AuthenticationResult?.AccessToken),
  };
}

const claims = (token: string) =>
  JSON.parse(Buffer.from(String(token.split('.')[1]), 'base64url').toString()) as Record<string, unknown>;

const myAccounts = async (token: string) =>
  ((await api('GET', '/v1/me/organizations', { token })).body as { items: unknown[] }).items;

describe('identity: the e-mail comes from a verified source only', () => {
  it('an e-mail changed to someone else’s address is not taken before it is verified', async () => {
    const mallory = await newLogin('mallory');
    const alice = `alice-${randomUUID()}@example.com`;

    await cognito().send(
      new UpdateUserAttributesCommand({
        AccessToken: mallory.accessToken,
        UserAttributes: [{ Name: 'email', Value: alice }],
      }),
    );
    const again = await signIn(mallory.email);
    const created = await api('POST', '/v1/organizations', {
      token: again.idToken,
      json: { holder: PERSON },
    });
    const orgId = (created.body as { organizationId: string }).organizationId;
    const members = await api('GET', `/v1/organizations/${orgId}/members`, { token: again.idToken });

    expect(claims(again.idToken).email).toBe(mallory.email);
    expect(created.status).toBe(201);
    expect(JSON.stringify(members.body)).toContain(mallory.email);
    expect(JSON.stringify(members.body)).not.toContain(alice);
  });

  it('a login whose e-mail is not verified founds no account and is told why (403)', async () => {
    const email = `unverified-${randomUUID()}@example.com`;
    const { userPoolId } = local();
    await cognito().send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        // No email_verified: the address was never verified (a sign-up not confirmed by its code).
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await cognito().send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: email,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    const { idToken } = await signIn(email);

    const created = await api('POST', '/v1/organizations', { token: idToken, json: { holder: PERSON } });
    const me = await api('GET', '/v1/me', { token: idToken });

    expect(claims(idToken).email_verified).toBe(false);
    expect(created).toMatchObject({
      status: 403,
      body: { detail: expect.stringMatching(/verified e-mail/) },
    });
    expect(me.status).toBe(403);
    expect(await myAccounts(idToken)).toEqual([]);
  });

  it('an access token (no e-mail claim) gives the same e-mail as an ID token, never ""', async () => {
    const login = await newLogin('access');

    const updated = await api('PATCH', '/v1/me', { token: login.accessToken, json: { language: 'it' } });
    const created = await api('POST', '/v1/organizations', {
      token: login.accessToken,
      json: { holder: PERSON },
    });
    const orgId = (created.body as { organizationId: string }).organizationId;
    const members = await api('GET', `/v1/organizations/${orgId}/members`, { token: login.accessToken });

    expect(claims(login.accessToken).email).toBeUndefined();
    expect(updated).toMatchObject({ status: 200, body: { email: login.email, recoveryEmail: login.email } });
    expect(JSON.stringify(members.body)).toContain(`"email":"${login.email}"`);
  });
});

/** The executions the reset route started for `email`, once they have ended. */
async function resetsEnded(email: string, count: number) {
  const sfn = new SFNClient(awsClientConfig());
  const machine = String(local().stateMachines.PasswordReset);
  try {
    return await eventually(async () => {
      const { calls } = (await control(
        'GET',
        `/calls?principal=ForgotPassword&mentions=${encodeURIComponent(email)}`,
      )) as {
        calls: { operation: string; request?: { name?: string } }[];
      };
      if (calls.length < count) return undefined;
      const executions = await Promise.all(
        calls.map((call) =>
          sfn.send(
            new DescribeExecutionCommand({
              executionArn: `${machine.replace(':stateMachine:', ':execution:')}:${call.request?.name}`,
            }),
          ),
        ),
      );
      return executions.every((e) => e.status !== 'RUNNING') ? { calls, executions } : undefined;
    }, 20_000);
  } finally {
    sfn.destroy();
  }
}

describe('password reset: nothing to learn, nothing to bomb with', () => {
  it('answers a known and an unknown login with the same calls; only the work after the answer differs', async () => {
    const known = await newLogin('known');
    const unknown = `nobody-${randomUUID()}@example.com`;

    const a = await api('POST', '/v1/password-resets', { json: { email: known.email } });
    const b = await api('POST', '/v1/password-resets', { json: { email: unknown } });
    const knownRun = await resetsEnded(known.email, 1);
    const unknownRun = await resetsEnded(unknown, 1);
    const { calls: routeCalls } = (await control('GET', '/calls?principal=ForgotPassword')) as {
      calls: { service: string; operation: string }[];
    };

    expect(a).toMatchObject({ status: 202 });
    expect(b.body).toEqual(a.body);
    expect(b.status).toBe(a.status);
    // What mentions the address: one StartExecution, for either login.
    expect(knownRun.calls.map((c) => c.operation)).toEqual(['StartExecution']);
    expect(unknownRun.calls.map((c) => c.operation)).toEqual(['StartExecution']);
    // The route never asks Cognito or SES: nothing it does depends on the login.
    expect(new Set(routeCalls.map((c) => `${c.service}:${c.operation}`))).toEqual(
      new Set(['dynamodb:UpdateItem', 'states:StartExecution']),
    );
    expect(await waitForMail(known.email)).toHaveLength(1);
    expect(await mailTo(unknown)).toEqual([]);
  });

  it('sends one e-mail per login per 15 minutes and 5 a day, whatever is asked', async () => {
    const login = await newLogin('cooldown');
    const ask = () => api('POST', '/v1/password-resets', { json: { email: login.email } });

    const answers = [await ask(), await ask(), await ask()];
    await resetsEnded(login.email, 3);
    const afterThree = await mailTo(login.email);
    // 16 minutes later (moved in the table): one more.
    const cooldown = { pk: `USER#${login.userId}`, sk: 'RESET_COOLDOWN' };
    await table().set(cooldown, { lastSentAt: Date.now() - 16 * 60_000 });
    await ask();
    await resetsEnded(login.email, 4);
    const afterWait = await mailTo(login.email);
    // The day's fifth already went: none more today, even past the 15 minutes.
    await table().set(cooldown, { lastSentAt: Date.now() - 16 * 60_000, sentToday: 5 });
    await ask();
    await resetsEnded(login.email, 5);

    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(afterThree).toHaveLength(1);
    expect(afterWait).toHaveLength(2);
    expect(await mailTo(login.email)).toHaveLength(2);
  });

  it('answers a database failure while counting a client’s resets with 500, not “too many”', async () => {
    // A client of its own (127.0.0.3): the failure is injected into its count alone.
    await failCalls('ForgotPassword', 'UpdateItem', 'ValidationException', 1, 'reset-client#127.0.0.3');

    const failed = await resetFrom('127.0.0.3', `outage-${randomUUID()}@example.com`);
    const retried = await resetFrom('127.0.0.3', `outage-${randomUUID()}@example.com`);

    expect(failed.status).toBe(500);
    expect(retried.status).toBe(202);
  });

  it('refuses a client past its per-minute allowance (429 with Retry-After) and starts nothing', async () => {
    // A client of its own: requests from 127.0.0.2, so no other test shares its allowance.
    const minute = new Date().toISOString().slice(0, 16);
    const email = `throttled-${randomUUID()}@example.com`;
    for (const m of [minute, new Date(Date.now() + 60_000).toISOString().slice(0, 16)]) {
      await table().put({ pk: 'LIMIT#reset-client#127.0.0.2', sk: `WINDOW#${m}`, uses: 1_000_000 });
    }

    const response = await resetFrom('127.0.0.2', email);
    const { calls } = (await control(
      'GET',
      `/calls?principal=ForgotPassword&mentions=${encodeURIComponent(email)}`,
    )) as {
      calls: unknown[];
    };

    expect(response.status).toBe(429);
    expect(response.retryAfter).toBe('60');
    expect(JSON.parse(response.body)).toMatchObject({
      type: '/problems/too-many-requests',
      detail: 'Too many password resets from this address; try again in a minute.',
    });
    expect(calls).toEqual([]);
  });
});

/** POST /v1/password-resets from a client address of the test's own (any 127.x.y.z is this machine). */
function resetFrom(clientAddress: string, email: string) {
  return new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
    const url = new URL('/v1/password-resets', local().apiUrl);
    const req = httpRequest(
      url,
      { method: 'POST', localAddress: clientAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string, body }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ email }));
  });
}

describe('invitations: no mail-bombing through invite, revoke, invite again', () => {
  /** An account's owner, a fresh address, and the owner's invitation of it. */
  async function inviter() {
    const { login, orgId } = await accountOwner('bomber');
    const target = `target-${randomUUID()}@example.com`;
    const invite = () =>
      api('POST', `/v1/organizations/${orgId}/invitations`, {
        token: login.idToken,
        json: { email: target, rights: { admin: false, billing: false, products: 'all' } },
      });
    return { login, orgId, target, invite };
  }

  it('caps new invitations to one address at 3 a day, across revokes (429, nothing created)', async () => {
    const { login, orgId, target, invite } = await inviter();

    for (let round = 0; round < 3; round++) {
      const invited = await invite();
      expect(invited.status).toBe(201);
      await waitForMail(target, round + 1);
      const id = (invited.body as { invitationId: string }).invitationId;
      expect(
        (await api('DELETE', `/v1/organizations/${orgId}/invitations/${id}`, { token: login.idToken }))
          .status,
      ).toBe(200);
    }
    const fourth = await invite();
    const listed = await api('GET', `/v1/organizations/${orgId}/invitations`, { token: login.idToken });
    const pending = (listed.body as { items: { status: string }[] }).items;

    expect(fourth).toMatchObject({
      status: 429,
      body: {
        type: '/problems/too-many-requests',
        detail: 'No more invitations today: at most 3 a day to one address and 50 a day from one account.',
      },
    });
    // Until the next day begins (UTC): at most a day away.
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(fourth.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
    expect(pending.filter((i) => i.status === 'pending')).toEqual([]);
    expect(await mailTo(target)).toHaveLength(3);
  });

  it('answers an address whose invitation is still pending with its 409, even once the day’s cap is used up (R9)', async () => {
    const { login, orgId, target, invite } = await inviter();
    // Two invitations revoked, the third left pending: the address's 3 a day are used.
    for (let round = 0; round < 2; round++) {
      const id = ((await invite()).body as { invitationId: string }).invitationId;
      await api('DELETE', `/v1/organizations/${orgId}/invitations/${id}`, { token: login.idToken });
    }
    expect((await invite()).status).toBe(201);

    // Waiting a day would not help: the invitation is there to resend or revoke.
    expect(await invite()).toMatchObject({
      status: 409,
      body: { detail: `${target} already has a pending invitation to this account; resend or revoke it.` },
    });
  });
});

describe('free text: no control characters, no bidi overrides', () => {
  it.each([
    [
      'CR/LF in a business name',
      { kind: 'company', businessName: 'Evil\r\nBcc: victim@example.com' },
      '/body/holder/businessName',
    ],
    [
      'a right-to-left override in a first name',
      { ...PERSON, firstName: 'Ada\u202Egpj.exe' },
      '/body/holder/firstName',
    ],
    ['a NUL in a last name', { ...PERSON, lastName: 'Love\u0000lace' }, '/body/holder/lastName'],
  ])('refuses %s with a 400 on the field, and creates nothing', async (_, holder, pointer) => {
    const login = await newLogin('text');

    const response = await api('POST', '/v1/organizations', { token: login.idToken, json: { holder } });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [expect.objectContaining({ pointer })] });
    expect(await myAccounts(login.idToken)).toEqual([]);
  });

  it('stores text NFC-normalized: a decomposed é is stored as one character', async () => {
    const login = await newLogin('nfc');

    const created = await api('POST', '/v1/organizations', {
      token: login.idToken,
      json: { holder: { ...PERSON, lastName: 'Pe\u0301rez' } },
    });

    expect((created.body as { name: string }).name).toBe('Ada P\u00e9rez');
  });
});

describe('forged input is a 400, never a 500', () => {
  it.each([
    [
      'a made-up cursor naming another account',
      Buffer.from(JSON.stringify({ pk: 'ORG#01ARZ3NDEKTSV4RRFFQ69G5FAV', sk: 'INVOICE#X' })).toString(
        'base64url',
      ),
    ],
    ['a number', '123'],
    [
      'a signed-looking cursor with a wrong signature',
      `${Buffer.from('{"pk":"x"}').toString('base64url')}.AAAA`,
    ],
  ])('refuses %s on a list (400 at /query/cursor)', async (_, cursor) => {
    const { login, orgId } = await accountOwner('cursor');

    const response = await api(
      'GET',
      `/v1/organizations/${orgId}/invoices?cursor=${encodeURIComponent(cursor)}`,
      {
        token: login.idToken,
      },
    );

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [expect.objectContaining({ pointer: '/query/cursor' })] });
  });

  it('refuses a genuine cursor of another account’s list (400)', async () => {
    const a = await accountOwner('cursor-a');
    await addMember(a.login, a.orgId);
    const b = await accountOwner('cursor-b');
    const first = (
      await api('GET', `/v1/organizations/${a.orgId}/audit-log?limit=1`, { token: a.login.idToken })
    ).body as { nextCursor: string };

    const replayed = await api(
      'GET',
      `/v1/organizations/${b.orgId}/audit-log?limit=1&cursor=${first.nextCursor}`,
      {
        token: b.login.idToken,
      },
    );

    expect(first.nextCursor).toEqual(expect.any(String));
    expect(replayed.status).toBe(400);
  });

  it('refuses a malformed %-escape in a path (400)', async () => {
    const login = await newLogin('escape');

    const response = await api('GET', '/v1/organizations/%', { token: login.idToken });

    expect(response.status).toBe(400);
  });
});

describe('audit log (admins read who did what, when, from which route)', () => {
  it('lists the account’s changes newest first, a page at a time, filtered by action and member', async () => {
    const { login, orgId } = await accountOwner('audited');
    const member = await addMember(login, orgId);
    await api('PUT', `/v1/organizations/${orgId}/members/${member.userId}/rights`, {
      token: login.idToken,
      json: { admin: false, billing: true, products: 'all' },
    });
    const path = `/v1/organizations/${orgId}/audit-log`;

    const all = (await api('GET', path, { token: login.idToken })).body as {
      items: { action: string; actorId: string; at: string; route: string | null }[];
      nextCursor: string | null;
    };
    const firstPage = (await api('GET', `${path}?limit=2`, { token: login.idToken })).body as typeof all;
    const secondPage = (
      await api('GET', `${path}?limit=2&cursor=${firstPage.nextCursor}`, { token: login.idToken })
    ).body as typeof all;
    const changes = (await api('GET', `${path}?action=member.rights-changed`, { token: login.idToken }))
      .body as typeof all;
    const byMember = (await api('GET', `${path}?member=${member.userId}`, { token: login.idToken }))
      .body as typeof all;
    const both = async (action: string, userId: string) =>
      (
        (await api('GET', `${path}?action=${action}&member=${userId}`, { token: login.idToken }))
          .body as typeof all
      ).items;

    expect(all.items.map((e) => e.action)).toEqual([
      'member.rights-changed',
      'invitation.accepted',
      'invitation.created',
      'organization.created',
    ]);
    expect(all.items[0]).toMatchObject({
      actorId: login.userId,
      route: 'PUT /v1/organizations/{orgId}/members/{userId}/rights',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(all.nextCursor).toBeNull();
    expect([...firstPage.items, ...secondPage.items]).toEqual(all.items);
    expect(secondPage.nextCursor).toBeNull();
    expect(changes.items.map((e) => e.action)).toEqual(['member.rights-changed']);
    expect(byMember.items.map((e) => e.action)).toEqual(['invitation.accepted']);
    // Both filters at once: what that member did of that kind.
    expect((await both('invitation.accepted', member.userId)).map((e) => e.actorId)).toEqual([member.userId]);
    expect(await both('invitation.accepted', login.userId)).toEqual([]);
  });

  it('names who left, who was removed, a revoked invitation and a hand-over apart, and the new legal representative holds every right', async () => {
    const { login, orgId } = await accountOwner('audit-exits');
    const leaver = await addMember(login, orgId, MEMBER_RIGHTS, 'leaver');
    const removed = await addMember(login, orgId, MEMBER_RIGHTS, 'removed');
    const heir = await addMember(login, orgId, MEMBER_RIGHTS, 'heir');
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: login.idToken,
      json: { email: `revoked-${randomUUID()}@example.com`, rights: MEMBER_RIGHTS },
    });
    const { invitationId } = invited.body as { invitationId: string };

    await api('DELETE', `/v1/organizations/${orgId}/invitations/${invitationId}`, { token: login.idToken });
    await api('DELETE', `/v1/organizations/${orgId}/members/${leaver.userId}`, { token: leaver.idToken });
    await api('DELETE', `/v1/organizations/${orgId}/members/${removed.userId}`, { token: login.idToken });
    const handedOver = await api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
      token: login.idToken,
      json: { userId: heir.userId },
    });
    const members = (await api('GET', `/v1/organizations/${orgId}/members`, { token: heir.idToken }))
      .body as {
      items: { userId: string; rights: Record<string, unknown> }[];
    };

    // The answer is the new legal representative as stored, every right included.
    expect(handedOver).toMatchObject({
      status: 200,
      body: {
        userId: heir.userId,
        role: 'legalRepresentative',
        rights: { legalRepresentative: true, admin: true, billing: true, products: 'all' },
      },
    });
    expect((await auditLog(heir.idToken, orgId)).slice(0, 4)).toMatchObject([
      { action: 'legal-representative.replaced', actorId: login.userId, details: { userId: heir.userId } },
      { action: 'member.removed', actorId: login.userId, details: { userId: removed.userId } },
      { action: 'member.left', actorId: leaver.userId, details: { userId: leaver.userId } },
      { action: 'invitation.revoked', actorId: login.userId, details: { invitationId } },
    ]);
    expect(members.items.find((m) => m.userId === heir.userId)?.rights).toEqual({
      legalRepresentative: true,
      admin: true,
      billing: true,
      products: 'all',
    });
    expect(members.items.find((m) => m.userId === login.userId)?.rights).toMatchObject({
      legalRepresentative: false,
    });
  });

  it('is for admins only (403), and a filter that is no action is a 400', async () => {
    const { login, orgId } = await accountOwner('audit-rights');
    const member = await addMember(login, orgId);

    const denied = await api('GET', `/v1/organizations/${orgId}/audit-log`, { token: member.idToken });
    const bad = await api('GET', `/v1/organizations/${orgId}/audit-log?action=%00drop`, {
      token: login.idToken,
    });
    // An action with something before it: the whole value must be one.
    const prefixed = await api('GET', `/v1/organizations/${orgId}/audit-log?action=Member.removed`, {
      token: login.idToken,
    });
    const long = await api('GET', `/v1/organizations/${orgId}/audit-log?action=member.${'r'.repeat(54)}`, {
      token: login.idToken,
    });
    const longest = await api('GET', `/v1/organizations/${orgId}/audit-log?action=member.${'r'.repeat(53)}`, {
      token: login.idToken,
    });

    expect(denied.status).toBe(403);
    expect(bad).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/query/action', detail: 'An action such as member.removed.' }] },
    });
    expect(prefixed).toMatchObject({ status: 400, body: { errors: [{ pointer: '/query/action' }] } });
    // At most 60 characters.
    expect(long).toMatchObject({ status: 400, body: { errors: [{ pointer: '/query/action' }] } });
    expect(longest).toMatchObject({ status: 200, body: { items: [] } });
  });
});
