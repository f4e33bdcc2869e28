import { route } from '#core/http.ts';
import { InvitationPath } from '#core/path-ids.ts';
import { revoke } from '#core/services/invitations.ts';

/** DELETE /v1/organizations/{orgId}/invitations/{invitationId} — revoke a pending invitation (R9). */
export const handler = route(
  { auth: true, problems: [409, 410], request: { path: InvitationPath } },
  async ({ caller, path }) => ({
    status: 200,
    body: await revoke(caller, path.orgId, path.invitationId),
  }),
);
