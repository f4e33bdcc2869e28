import { describe, expect, it } from 'vitest';
import { accountOwner, addMember, api, MEMBER_RIGHTS, waitForMail } from '../helpers.ts';

describe('tenant isolation (R4, section 9)', () => {
  it('an admin of account B can neither read nor change anything of account A, whatever ids they send', async () => {
    const { login: alice, orgId: a } = await accountOwner('alice');
    const aMember = await addMember(alice, a);
    const pending = await api('POST', `/v1/organizations/${a}/invitations`, {
      token: alice.idToken,
      json: { email: `pending-${Date.now()}@example.com`, rights: MEMBER_RIGHTS },
    });
    const invitationId = (pending.body as { invitationId: string }).invitationId;
    const { login: mallory } = await accountOwner('mallory');
    const before = {
      members: (await api('GET', `/v1/organizations/${a}/members`, { token: alice.idToken })).body,
      invitations: (await api('GET', `/v1/organizations/${a}/invitations`, { token: alice.idToken })).body,
    };
    const as = { token: mallory.idToken };

    const attempts = await Promise.all([
      api('GET', `/v1/organizations/${a}`, as),
      api('GET', `/v1/organizations/${a}/members`, as),
      api('GET', `/v1/organizations/${a}/invitations`, as),
      api('POST', `/v1/organizations/${a}/invitations`, {
        ...as,
        json: { email: 'x@example.com', rights: MEMBER_RIGHTS },
      }),
      api('DELETE', `/v1/organizations/${a}/invitations/${invitationId}`, as),
      api('POST', `/v1/organizations/${a}/invitations/${invitationId}/resend`, as),
      api('PUT', `/v1/organizations/${a}/members/${aMember.userId}/rights`, {
        ...as,
        json: { admin: true, billing: true, products: 'all' },
      }),
      api('DELETE', `/v1/organizations/${a}/members/${aMember.userId}`, as),
      api('PUT', `/v1/organizations/${a}/legal-representative`, { ...as, json: { userId: mallory.userId } }),
      api('PUT', '/v1/me/current-organization', { ...as, json: { organizationId: a } }),
    ]);

    expect(attempts.map((r) => r.status)).toEqual(Array(attempts.length).fill(404));
    // The same words on every route: nothing tells a route that exists from one that does not.
    for (const attempt of attempts)
      expect(attempt.body).toMatchObject({ detail: `No customer account ${a}.` });
    for (const attempt of attempts) expect(JSON.stringify(attempt.body)).not.toContain('Ada Lovelace');
    expect((await api('GET', `/v1/organizations/${a}/members`, { token: alice.idToken })).body).toEqual(
      before.members,
    );
    expect((await api('GET', `/v1/organizations/${a}/invitations`, { token: alice.idToken })).body).toEqual(
      before.invitations,
    );
    expect((await waitForMail(aMember.email)).length).toBe(1);
  });

  it('an id that is not an id is refused with 400, not looked up', async () => {
    const { login } = await accountOwner();

    const response = await api('GET', '/v1/organizations/..%2F..%2Fsecrets', { token: login.idToken });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [expect.objectContaining({ pointer: '/path/orgId' })] });
  });
});
