import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { PageQuery } from '#core/schemas.ts';
import { listAccountMembers } from '#core/services/members.ts';

/** GET /v1/organizations/{orgId}/members — the users of an account, for its admins (R8). */
export const handler = route(
  { auth: true, request: { path: OrgPath, query: PageQuery } },
  async ({ caller, path, query }) => ({
    status: 200,
    body: await listAccountMembers(caller, path.orgId, query),
  }),
);
