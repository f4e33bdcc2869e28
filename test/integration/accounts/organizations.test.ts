import { describe, expect, it } from 'vitest';
import { accountOwner, addMember, api, newLogin, PERSON } from '../helpers.ts';

describe('customer accounts (R3, R4, R5)', () => {
  it('creates an account named after the person, with the creator as legal representative and admin', async () => {
    const login = await newLogin('creator');

    const created = await api('POST', '/v1/organizations', {
      token: login.idToken,
      json: { holder: PERSON },
    });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Ada Lovelace',
      legalRepresentativeId: login.userId,
      role: 'legalRepresentative',
      rights: { legalRepresentative: true, admin: true, billing: true, products: 'all' },
    });
  });

  it('names a company account after its business name', async () => {
    const login = await newLogin('company');

    const created = await api('POST', '/v1/organizations', {
      token: login.idToken,
      json: { holder: { kind: 'company', businessName: 'Analytical Engines SA' } },
    });

    expect(created.body).toMatchObject({ name: 'Analytical Engines SA' });
  });

  it.each([
    ['a person without last name', { kind: 'person', firstName: 'Ada' }, '/body/holder/lastName'],
    ['an unknown kind', { kind: 'club', businessName: 'X' }, '/body/holder/kind'],
    ['a blank business name', { kind: 'company', businessName: '   ' }, '/body/holder/businessName'],
  ])('refuses %s with 400 and creates nothing', async (_, holder, pointer) => {
    const login = await newLogin('badholder');

    const response = await api('POST', '/v1/organizations', { token: login.idToken, json: { holder } });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [expect.objectContaining({ pointer })] });
    expect((await api('GET', '/v1/me/organizations', { token: login.idToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('lists every account of a login with its role in each, and remembers the one switched to', async () => {
    const { login: alice, orgId: own } = await accountOwner('alice');
    const { login: bob, orgId: bobs } = await accountOwner('bob');
    await api('POST', '/v1/organizations', {
      token: bob.idToken,
      json: { holder: { kind: 'company', businessName: 'Zeta GmbH' } },
    });
    const invitedAlice = await addMember(bob, bobs, { admin: true, billing: false, products: [] }, 'x');

    const switched = await api('PUT', '/v1/me/current-organization', {
      token: invitedAlice.idToken,
      json: { organizationId: bobs },
    });
    const list = await api('GET', '/v1/me/organizations', { token: invitedAlice.idToken });
    const me = await api('GET', '/v1/me', { token: invitedAlice.idToken });

    expect(switched.status).toBe(200);
    expect(list.body).toEqual({
      items: [
        {
          organizationId: bobs,
          name: 'Ada Lovelace',
          role: 'admin',
          rights: { legalRepresentative: false, admin: true, billing: true, products: 'all' },
        },
      ],
      nextCursor: null,
    });
    expect(me.body).toMatchObject({ currentOrganizationId: bobs });
    const bobList = (await api('GET', '/v1/me/organizations', { token: bob.idToken })).body as {
      items: { name: string; role: string }[];
    };
    expect(bobList.items.map((i) => [i.name, i.role])).toEqual([
      ['Ada Lovelace', 'legalRepresentative'],
      ['Zeta GmbH', 'legalRepresentative'],
    ]);
    expect(own).not.toBe(bobs);
    expect(alice.userId).not.toBe(invitedAlice.userId);
  });

  it('does not switch to an account the login does not belong to (404) and keeps the preference', async () => {
    const { login, orgId } = await accountOwner('switcher');
    await api('PUT', '/v1/me/current-organization', {
      token: login.idToken,
      json: { organizationId: orgId },
    });
    const { orgId: foreign } = await accountOwner('foreign');

    const response = await api('PUT', '/v1/me/current-organization', {
      token: login.idToken,
      json: { organizationId: foreign },
    });

    expect(response.status).toBe(404);
    expect((await api('GET', '/v1/me', { token: login.idToken })).body).toMatchObject({
      currentOrganizationId: orgId,
    });
  });

  it('lists accounts by name, those of one name by id, a page at a time with none lost or repeated (R5)', async () => {
    const login = await newLogin('many');
    const create = async (holder: unknown) =>
      (
        (await api('POST', '/v1/organizations', { token: login.idToken, json: { holder } })).body as {
          organizationId: string;
        }
      ).organizationId;
    const zeta = await create({ kind: 'company', businessName: 'Zeta GmbH' });
    const ada = [await create(PERSON), await create(PERSON), await create(PERSON)];
    const alpha = await create({ kind: 'company', businessName: 'Alpha AG' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = (await api('GET', `/v1/me/organizations${query}`, { token: login.idToken })).body as {
        items: { organizationId: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((a) => a.organizationId));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);

    expect(seen).toEqual([...ada.sort(), alpha, zeta]);
  });
});
