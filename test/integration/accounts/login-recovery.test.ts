import { randomUUID } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { CONFLICT_ATTEMPTS } from '../../../functions/core/clients.ts';
import { callApi } from '../../fixtures/client.ts';
import {
  api,
  awsClientConfig,
  eventually,
  failCalls,
  linkToken,
  local,
  mailTo,
  newLogin,
  startedWorkflowEnd,
  table,
  waitForMail,
} from '../helpers.ts';

const NEW_PASSWORD = 'Brand-New-Passw0rd!';

async function signIn(email: string, password: string) {
  const cognito = new CognitoIdentityProviderClient(awsClientConfig('cognito'));
  return cognito.send(
    new InitiateAuthCommand({
      ClientId: local().userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}

describe('recovery e-mail (R2)', () => {
  it('a change is confirmed by a link sent to the new address; until then the old one stays in force', async () => {
    const login = await newLogin('recovery');
    const newAddress = `recovery-${randomUUID()}@example.org`;

    const requested = await api('PUT', '/v1/me/recovery-email', {
      token: login.idToken,
      json: { email: newAddress },
    });
    const meBefore = await api('GET', '/v1/me', { token: login.idToken });
    const [mail] = await waitForMail(newAddress);
    const confirmed = await api('POST', '/v1/recovery-email/confirmations', {
      json: { token: linkToken(mail as never) },
    });
    const meAfter = await api('GET', '/v1/me', { token: login.idToken });

    expect(requested).toMatchObject({
      status: 202,
      body: { recoveryEmail: login.email, pendingRecoveryEmail: newAddress },
    });
    expect(meBefore.body).toMatchObject({ recoveryEmail: login.email });
    expect(mail?.subject).toBe('Confirm your new recovery e-mail address');
    expect(confirmed).toMatchObject({ status: 200, body: { recoveryEmail: newAddress } });
    expect(meAfter.body).toMatchObject({ recoveryEmail: newAddress, email: login.email });
    // The profile the confirmation wrote is named as every item is, by its type (docs/data-model.md).
    expect(await table().get({ pk: `USER#${login.userId}`, sk: 'PROFILE' })).toMatchObject({
      type: 'UserProfile',
    });
  });

  it('a confirmation link works once', async () => {
    const login = await newLogin('once');
    const newAddress = `once-${randomUUID()}@example.org`;
    await api('PUT', '/v1/me/recovery-email', { token: login.idToken, json: { email: newAddress } });
    const token = linkToken((await waitForMail(newAddress))[0] as never);

    await api('POST', '/v1/recovery-email/confirmations', { json: { token } });
    const again = await api('POST', '/v1/recovery-email/confirmations', { json: { token } });

    expect(again).toMatchObject({
      status: 410,
      body: { type: '/problems/gone', detail: 'This link is no longer valid.' },
    });
  });

  it('a transaction refused for another reason than a spent link answers 500, and the same link works after', async () => {
    const login = await newLogin('busy');
    const newAddress = `busy-${randomUUID()}@example.org`;
    await api('PUT', '/v1/me/recovery-email', { token: login.idToken, json: { email: newAddress } });
    const token = linkToken((await waitForMail(newAddress))[0] as never);
    // Another transaction on the profile at every attempt: DynamoDB cancels each (TransactionConflict).
    await failCalls(
      'ConfirmRecoveryEmail',
      'TransactWriteItems',
      'TransactionConflict',
      CONFLICT_ATTEMPTS,
      login.userId,
    );

    // Not through api(): the contract declares no 500.
    const failed = await callApi(local().apiUrl, 'POST', '/v1/recovery-email/confirmations', {
      json: { token },
    });
    const retried = await api('POST', '/v1/recovery-email/confirmations', { json: { token } });

    expect(failed.status).toBe(500);
    expect(retried).toMatchObject({ status: 200, body: { recoveryEmail: newAddress } });
  });

  it('a confirmation link past its validity is refused as expired, and the old address stays', async () => {
    const login = await newLogin('late');
    const newAddress = `late-${randomUUID()}@example.org`;
    await api('PUT', '/v1/me/recovery-email', { token: login.idToken, json: { email: newAddress } });
    const token = linkToken((await waitForMail(newAddress))[0] as never);
    // The validity ran out a moment ago (moved in the table).
    await table().set(
      { pk: `USER#${login.userId}`, sk: 'RECOVERY_CHANGE' },
      { validUntil: new Date(Date.now() - 1000).toISOString() },
    );

    const late = await api('POST', '/v1/recovery-email/confirmations', { json: { token } });
    const forged = await api('POST', '/v1/recovery-email/confirmations', {
      json: { token: `${token.split('.')[0]}.${'A'.repeat(43)}` },
    });

    expect(late).toMatchObject({ status: 410, body: { detail: 'This link has expired.' } });
    expect(forged).toMatchObject({ status: 410, body: { detail: 'This link is no longer valid.' } });
    const malformed = await api('POST', '/v1/recovery-email/confirmations', {
      json: { token: `${token}.${token}` },
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/token', detail: 'Not a valid link token.' }] },
    });
    expect((await api('GET', '/v1/me', { token: login.idToken })).body).toMatchObject({
      recoveryEmail: login.email,
    });
  });

  it('refuses an address that is not one (400) and sends nothing', async () => {
    const login = await newLogin('badrecovery');

    const response = await api('PUT', '/v1/me/recovery-email', {
      token: login.idToken,
      json: { email: 'nope' },
    });

    expect(response.status).toBe(400);
    expect((await api('GET', '/v1/me', { token: login.idToken })).body).toMatchObject({
      recoveryEmail: login.email,
    });
  });
});

describe('forgot password (R2)', () => {
  it('pending links and the reset cooldown carry their type and the TTL that lets DynamoDB remove them once spent', async () => {
    const login = await newLogin('ttl');
    const at = Date.now() / 1000;
    await api('PUT', '/v1/me/recovery-email', {
      token: login.idToken,
      json: { email: `ttl-${randomUUID()}@example.org` },
    });
    await api('POST', '/v1/password-resets', { json: { email: login.email } });
    const item = (sk: string) => table().get({ pk: `USER#${login.userId}`, sk });
    const change = await item('RECOVERY_CHANGE');
    // The reset link is written by its workflow's step: wait for it.
    const reset = await eventually(() => item('PASSWORD_RESET'));
    const cooldown = await item('RESET_COOLDOWN');
    // Each named by its type (docs/data-model.md).
    expect([change?.type, reset?.type, cooldown?.type]).toEqual([
      'RecoveryChange',
      'PasswordReset',
      'ResetCooldown',
    ]);

    // The TTL is the link's own end (24 h, 1 h); the cooldown's, two days on.
    for (const [pending, hours] of [
      [change, 24],
      [reset, 1],
    ] as const) {
      expect(pending?.expiresAt).toBe(Math.floor(Date.parse(String(pending?.validUntil)) / 1000));
      expect(Number(pending?.expiresAt)).toBeGreaterThanOrEqual(Math.floor(at) + hours * 3600);
      expect(Number(pending?.expiresAt)).toBeLessThan(at + hours * 3600 + 60);
    }
    expect(Number(cooldown?.expiresAt)).toBeGreaterThanOrEqual(Math.floor(at) + 2 * 86_400);
    expect(Number(cooldown?.expiresAt)).toBeLessThan(at + 2 * 86_400 + 60);
    // The per-client count of resets is per minute, kept an hour (this client: the test's address).
    const counts = (
      await Promise.all(
        ['127.0.0.1', '::1', '::ffff:127.0.0.1'].map((ip) => table().partition(`LIMIT#reset-client#${ip}`)),
      )
    ).flat();
    const latest = counts.sort((a, b) => String(a.sk).localeCompare(String(b.sk))).at(-1);
    // Named as every item is, by its type (docs/data-model.md), and counted.
    expect(latest).toMatchObject({ type: 'Limit', uses: expect.any(Number) });
    expect(Number(latest?.expiresAt)).toBeGreaterThanOrEqual(Math.floor(at) + 3600);
    expect(Number(latest?.expiresAt)).toBeLessThan(at + 3600 + 60);
  });

  it('sends the reset link to the recovery address; the link sets a new password in Cognito, once', async () => {
    const login = await newLogin('forgot');
    const recovery = `rescue-${randomUUID()}@example.org`;
    await api('PUT', '/v1/me/recovery-email', { token: login.idToken, json: { email: recovery } });
    await api('POST', '/v1/recovery-email/confirmations', {
      json: { token: linkToken((await waitForMail(recovery))[0] as never) },
    });

    const asked = await api('POST', '/v1/password-resets', { json: { email: login.email } });
    const [, resetMail] = await waitForMail(recovery, 2);
    const token = linkToken(resetMail as never);
    const reset = await api('POST', '/v1/password-resets/complete', {
      json: { token, password: NEW_PASSWORD },
    });
    const replay = await api('POST', '/v1/password-resets/complete', {
      json: { token, password: NEW_PASSWORD },
    });

    expect(asked.status).toBe(202);
    expect(resetMail?.subject).toBe('Reset your Manager password');
    expect(await mailTo(login.email)).toEqual([]);
    expect(reset.status).toBe(204);
    expect((await signIn(login.email, NEW_PASSWORD)).AuthenticationResult?.IdToken).toBeTruthy();
    await expect(signIn(login.email, 'Test-Passw0rd!')).rejects.toThrow();
    expect(replay).toMatchObject({
      status: 410,
      body: { detail: 'This link is no longer valid or has expired; ask for a new one.' },
    });
  });

  it('answers a database failure while spending the link with 500, not as a spent link, and the same link works after', async () => {
    const login = await newLogin('reset-outage');
    await api('POST', '/v1/password-resets', { json: { email: login.email } });
    const token = linkToken((await waitForMail(login.email))[0] as never);
    await failCalls('ResetPassword', 'DeleteItem', 'ValidationException', 1, login.userId);

    // Not through api(): the contract declares no 500, which a failing database is.
    const failed = await callApi(local().apiUrl, 'POST', '/v1/password-resets/complete', {
      json: { token, password: NEW_PASSWORD },
    });
    const retried = await api('POST', '/v1/password-resets/complete', {
      json: { token, password: NEW_PASSWORD },
    });

    expect(failed.status).toBe(500);
    expect(retried.status).toBe(204);
    expect((await signIn(login.email, NEW_PASSWORD)).AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('answers an unknown login exactly like a known one, and sends nothing', async () => {
    const unknown = `nobody-${randomUUID()}@example.com`;

    const response = await api('POST', '/v1/password-resets', { json: { email: unknown } });

    expect(response.status).toBe(202);
    // The workflow decides after the answer: once it has ended (quietly), nothing was sent.
    expect((await startedWorkflowEnd(unknown)).status).toBe('SUCCEEDED');
    expect(await mailTo(unknown)).toEqual([]);
  });

  it('refuses a weak password with 400 without spending the link', async () => {
    const login = await newLogin('weak');
    await api('POST', '/v1/password-resets', { json: { email: login.email } });
    const token = linkToken((await waitForMail(login.email))[0] as never);

    const weak = await api('POST', '/v1/password-resets/complete', { json: { token, password: 'short' } });
    const strong = await api('POST', '/v1/password-resets/complete', {
      json: { token, password: NEW_PASSWORD },
    });

    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ pointer: '/body/password' })]),
    });
    expect(strong.status).toBe(204);
  });
});
