import { route } from '#core/http.ts';
import { MemberPath } from '#core/path-ids.ts';
import { removeMember } from '#core/services/members.ts';

/** DELETE /v1/organizations/{orgId}/members/{userId} — remove a member, or leave (own id) (R10). */
export const handler = route(
  { auth: true, problems: [409], request: { path: MemberPath } },
  async ({ caller, path }) => {
    await removeMember(caller, path.orgId, path.userId);
    return { status: 204 };
  },
);
