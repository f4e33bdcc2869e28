import { GrantableRights } from '#core/entities/membership.ts';
import { route } from '#core/http.ts';
import { MemberPath } from '#core/path-ids.ts';
import { changeRights } from '#core/services/members.ts';

/** PUT /v1/organizations/{orgId}/members/{userId}/rights — change a member's rights (R7, R8). */
export const handler = route(
  {
    auth: true,
    problems: [409],
    request: { path: MemberPath, body: GrantableRights },
  },
  async ({ caller, path, body }) => ({
    status: 200,
    body: await changeRights(caller, path.orgId, path.userId, body),
  }),
);
