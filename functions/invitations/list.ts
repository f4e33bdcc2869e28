import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { PageQuery } from '#core/schemas.ts';
import { listAccountInvitations } from '#core/services/invitations.ts';

/** GET /v1/organizations/{orgId}/invitations — an account's invitations, newest first (R9). */
export const handler = route(
  { auth: true, request: { path: OrgPath, query: PageQuery } },
  async ({ caller, path, query }) => ({
    status: 200,
    body: await listAccountInvitations(caller, path.orgId, query),
  }),
);
