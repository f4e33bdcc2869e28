import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { userKeys } from '../../../functions/core/entities/user.ts';
import { api, local, newLogin, table } from '../helpers.ts';

describe('GET /v1/me (R1)', () => {
  it('returns the signed-in user, identified by the token subject', async () => {
    const login = await newLogin('me');

    const response = await api('GET', '/v1/me', { token: login.idToken });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      userId: login.userId,
      email: login.email,
      language: 'en',
      currentOrganizationId: null,
      recoveryEmail: login.email,
      billingNotices: true,
    });
  });

  it('accepts the access token as well as the ID token, as the JWT authorizer does', async () => {
    const login = await newLogin('access');

    const response = await api('GET', '/v1/me', { token: login.accessToken });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: login.userId });
  });

  it('rejects a request without a token with 401', async () => {
    const response = await api('GET', '/v1/me');

    expect(response.status).toBe(401);
  });

  it('rejects a token signed by another key, even with the right issuer and audience', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const issuer = `${local().endpoints.cognito}/${local().userPoolId}`;
    const forged = await new SignJWT({ token_use: 'id', email: 'mallory@example.com' })
      .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
      .setSubject(randomUUID())
      .setIssuer(issuer)
      .setAudience(local().userPoolClientId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);

    const response = await api('GET', '/v1/me', { token: forged });

    expect(response.status).toBe(401);
  });

  it('rejects a token that is not a JWT', async () => {
    const response = await api('GET', '/v1/me', { token: 'not-a-token' });

    expect(response.status).toBe(401);
  });
});

describe('PATCH /v1/me', () => {
  it('stores the language of the user’s e-mails and returns the profile', async () => {
    const login = await newLogin('lang');

    const response = await api('PATCH', '/v1/me', { token: login.idToken, json: { language: 'it' } });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: login.userId, email: login.email, language: 'it' });
    const again = await api('GET', '/v1/me', { token: login.idToken });
    expect(again.body).toMatchObject({ language: 'it' });
  });

  it.each([
    ['an unknown language', { language: 'xx' }, '/body/language'],
    ['a field the API does not know', { language: 'it', admin: true }, '/body'],
    ['nothing to change', {}, '/body'],
    ['a body that is not an object', ['it'], '/body'],
  ])('refuses %s with a 400 problem naming the field, and stores nothing', async (_, json, pointer) => {
    const login = await newLogin('bad');

    const response = await api('PATCH', '/v1/me', { token: login.idToken, json });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      type: '/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      errors: [expect.objectContaining({ pointer })],
    });
    expect(await table().get(userKeys(login.userId))).toBeUndefined();
  });

  it('refuses a body that is not JSON with a 400 problem', async () => {
    const login = await newLogin('json');

    const response = await api('PATCH', '/v1/me', {
      token: login.idToken,
      body: '{"language":',
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      errors: [{ pointer: '/body', detail: 'The body is not valid JSON.' }],
    });
    expect(await table().get(userKeys(login.userId))).toBeUndefined();
  });

  it('refuses a body that is not declared as JSON with 415', async () => {
    const login = await newLogin('type');

    const response = await api('PATCH', '/v1/me', {
      token: login.idToken,
      body: 'language=it',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({
      type: '/problems/unsupported-media-type',
      status: 415,
      detail: "Expected content-type application/json, got 'application/x-www-form-urlencoded'.",
    });
    expect(await table().get(userKeys(login.userId))).toBeUndefined();
  });
});
