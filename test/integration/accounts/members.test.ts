import { describe, expect, it } from 'vitest';
import {
  accountOwner,
  addMember,
  api,
  customer,
  losingEveryAttempt,
  MEMBER_RIGHTS,
  mailTo,
  newLogin,
  waitForMail,
} from '../helpers.ts';

async function membersOf(token: string, orgId: string) {
  return (await api('GET', `/v1/organizations/${orgId}/members`, { token })).body as {
    items: { userId: string; role: string; rights: Record<string, unknown> }[];
  };
}

describe('rights (R7, R8)', () => {
  it('an admin grants product-scoped rights with or without billing', async () => {
    const { login: owner, orgId, firstOrder } = await customer();
    const product = String(firstOrder.products[0]?.productId);
    const member = await addMember(owner, orgId);

    const changed = await api('PUT', `/v1/organizations/${orgId}/members/${member.userId}/rights`, {
      token: owner.idToken,
      json: { admin: false, billing: true, products: [product, product] },
    });

    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      role: 'member',
      rights: { legalRepresentative: false, admin: false, billing: true, products: [product] },
    });
  });

  it('rights name only this account’s products: another account’s product id is refused (400), nothing changes', async () => {
    const { login: owner, orgId } = await customer();
    const other = await customer();
    const foreign = String(other.firstOrder.products[0]?.productId);
    const member = await addMember(owner, orgId);

    const changed = await api('PUT', `/v1/organizations/${orgId}/members/${member.userId}/rights`, {
      token: owner.idToken,
      json: { admin: false, billing: false, products: [foreign] },
    });
    const invited = await api('POST', `/v1/organizations/${orgId}/invitations`, {
      token: owner.idToken,
      json: { email: 'someone@example.com', rights: { admin: false, billing: false, products: [foreign] } },
    });

    const detail = `No product ${foreign} in this account.`;
    expect(changed).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/products/0', detail }] },
    });
    expect(invited).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/rights/products/0', detail }] },
    });
    const members = await membersOf(owner.idToken, orgId);
    expect(members.items.find((m) => m.userId === member.userId)?.rights).toMatchObject({ products: 'all' });
    const invitations = await api('GET', `/v1/organizations/${orgId}/invitations`, { token: owner.idToken });
    expect(JSON.stringify(invitations.body)).not.toContain('someone@example.com');
  });

  it('an admin has every right: billing and all products, whatever was asked', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId);

    const changed = await api('PUT', `/v1/organizations/${orgId}/members/${member.userId}/rights`, {
      token: owner.idToken,
      json: { admin: true, billing: false, products: [] },
    });

    expect(changed.body).toMatchObject({
      role: 'admin',
      rights: { admin: true, billing: true, products: 'all' },
    });
  });

  it('a member without admin rights gets 403 for every user-management action, and nothing changes', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId, { admin: false, billing: true, products: 'all' }, 'plain');
    const other = await addMember(owner, orgId, MEMBER_RIGHTS, 'other');
    const before = await membersOf(owner.idToken, orgId);
    const as = { token: member.idToken };

    const attempts = await Promise.all([
      api('GET', `/v1/organizations/${orgId}/members`, as),
      api('POST', `/v1/organizations/${orgId}/invitations`, {
        ...as,
        json: { email: 'friend@example.com', rights: MEMBER_RIGHTS },
      }),
      api('GET', `/v1/organizations/${orgId}/invitations`, as),
      api('PUT', `/v1/organizations/${orgId}/members/${other.userId}/rights`, {
        ...as,
        json: { admin: true, billing: true, products: 'all' },
      }),
      api('PUT', `/v1/organizations/${orgId}/members/${member.userId}/rights`, {
        ...as,
        json: { admin: true, billing: true, products: 'all' },
      }),
      api('DELETE', `/v1/organizations/${orgId}/members/${other.userId}`, as),
      api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
        ...as,
        json: { userId: member.userId },
      }),
    ]);

    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect(attempts[0]?.body).toMatchObject({ type: '/problems/forbidden', status: 403 });
    expect(await membersOf(owner.idToken, orgId)).toEqual(before);
  });

  it('the legal representative’s rights cannot be changed, nor can they be removed or leave (R10)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const admin = await addMember(owner, orgId, { admin: true, billing: true, products: 'all' }, 'admin');
    const before = await membersOf(owner.idToken, orgId);

    const demote = await api('PUT', `/v1/organizations/${orgId}/members/${owner.userId}/rights`, {
      token: admin.idToken,
      json: MEMBER_RIGHTS,
    });
    const remove = await api('DELETE', `/v1/organizations/${orgId}/members/${owner.userId}`, {
      token: admin.idToken,
    });
    const leave = await api('DELETE', `/v1/organizations/${orgId}/members/${owner.userId}`, {
      token: owner.idToken,
    });

    expect([demote.status, remove.status, leave.status]).toEqual([409, 409, 409]);
    expect([demote.body, remove.body, leave.body]).toMatchObject([
      {
        detail: 'The legal representative has all rights; appoint another legal representative first (R11).',
      },
      { detail: 'The legal representative cannot be removed (R10).' },
      {
        detail:
          'The legal representative cannot leave the account; appoint another legal representative first (R11).',
      },
    ]);
    expect(await membersOf(owner.idToken, orgId)).toEqual(before);
  });
});

describe('removing and leaving (R10)', () => {
  it('an admin removes a member, who loses the account at once', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId);

    const removed = await api('DELETE', `/v1/organizations/${orgId}/members/${member.userId}`, {
      token: owner.idToken,
    });

    expect(removed.status).toBe(204);
    expect((await api('GET', '/v1/me/organizations', { token: member.idToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await api('GET', `/v1/organizations/${orgId}`, { token: member.idToken })).status).toBe(404);
  });

  it('a member leaves an account by removing themselves', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId);

    const left = await api('DELETE', `/v1/organizations/${orgId}/members/${member.userId}`, {
      token: member.idToken,
    });

    expect(left.status).toBe(204);
    expect((await membersOf(owner.idToken, orgId)).items.map((m) => m.userId)).toEqual([owner.userId]);
  });

  it('removing somebody who is not a member answers 404', async () => {
    const { login: owner, orgId } = await accountOwner();
    const stranger = await newLogin('stranger');

    const response = await api('DELETE', `/v1/organizations/${orgId}/members/${stranger.userId}`, {
      token: owner.idToken,
    });

    expect(response.status).toBe(404);
  });
});

describe('replacing the legal representative (R11)', () => {
  it('the legal representative hands the role to a member; both are told; the former stays admin', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId);
    const mailsBefore = (await waitForMail(owner.email)).length;

    const response = await api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
      token: owner.idToken,
      json: { userId: member.userId },
    });

    expect(response).toMatchObject({
      status: 200,
      body: {
        userId: member.userId,
        role: 'legalRepresentative',
        rights: { legalRepresentative: true, admin: true, billing: true, products: 'all' },
      },
    });
    const roles = Object.fromEntries(
      (await membersOf(member.idToken, orgId)).items.map((m) => [m.userId, m.role]),
    );
    expect(roles).toEqual({ [owner.userId]: 'admin', [member.userId]: 'legalRepresentative' });
    const [toOwner] = (await waitForMail(owner.email, mailsBefore + 1)).slice(-1);
    const memberMails = await waitForMail(member.email, 2);
    expect(toOwner?.subject).toBe('New legal representative of Ada Lovelace');
    expect(memberMails.at(-1)?.body.text).toContain(`${member.email} is now the legal representative`);
  });

  it('hands the role to a member who is an admin already; the former legal representative stays admin', async () => {
    const { login: owner, orgId } = await accountOwner();
    const admin = await addMember(owner, orgId, { admin: true, billing: false, products: [] }, 'admin-heir');

    const response = await api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
      token: owner.idToken,
      json: { userId: admin.userId },
    });

    expect(response.status).toBe(200);
    const rights = Object.fromEntries(
      (await membersOf(admin.idToken, orgId)).items.map((m) => [m.userId, m.rights]),
    );
    expect(rights[admin.userId]).toEqual({
      legalRepresentative: true,
      admin: true,
      billing: true,
      products: 'all',
    });
    expect(rights[owner.userId]).toMatchObject({ legalRepresentative: false, admin: true });
  });

  it('a member removed while the role is handed to them: 409, the legal representative stays, nobody is told', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId);
    const ownerMails = (await waitForMail(owner.email)).length;
    const memberMails = (await mailTo(member.email)).length;

    const response = await losingEveryAttempt(
      'AppointLegalRepresentative',
      1,
      member.userId,
      () =>
        api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
          token: owner.idToken,
          json: { userId: member.userId },
        }),
      async () => {
        const removed = await api('DELETE', `/v1/organizations/${orgId}/members/${member.userId}`, {
          token: owner.idToken,
        });
        expect(removed.status).toBe(204);
      },
      2000,
    );

    expect(response).toMatchObject({
      status: 409,
      body: { detail: 'The member was changed by someone else meanwhile; reload and try again.' },
    });
    const members = await membersOf(owner.idToken, orgId);
    expect(members.items.map((m) => [m.userId, m.role])).toEqual([[owner.userId, 'legalRepresentative']]);
    expect(await mailTo(owner.email)).toHaveLength(ownerMails);
    expect(await mailTo(member.email)).toHaveLength(memberMails);
  });

  it('appointing oneself changes nothing and tells nobody', async () => {
    const { login: owner, orgId } = await accountOwner();
    const before = await membersOf(owner.idToken, orgId);
    const mailsBefore = await mailTo(owner.email);

    const response = await api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
      token: owner.idToken,
      json: { userId: owner.userId },
    });

    expect(response).toMatchObject({
      status: 200,
      body: { userId: owner.userId, role: 'legalRepresentative' },
    });
    expect(await membersOf(owner.idToken, orgId)).toEqual(before);
    expect(await mailTo(owner.email)).toEqual(mailsBefore);
  });

  it('the new legal representative must already be a member (409)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const stranger = await newLogin('outsider');

    const response = await api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
      token: owner.idToken,
      json: { userId: stranger.userId },
    });

    expect(response).toMatchObject({
      status: 409,
      body: { detail: 'The new legal representative must already be a member of the account.' },
    });
  });

  it('an admin who is not the legal representative cannot appoint one (403)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const admin = await addMember(owner, orgId, { admin: true, billing: true, products: 'all' }, 'admin');

    const response = await api('PUT', `/v1/organizations/${orgId}/legal-representative`, {
      token: admin.idToken,
      json: { userId: admin.userId },
    });

    expect(response).toMatchObject({
      status: 403,
      body: { detail: 'Only the legal representative may appoint another legal representative.' },
    });
  });
});
