import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { InvitationPath } from '#core/path-ids.ts';
import { resend } from '#core/services/invitations.ts';

/** POST /v1/organizations/{orgId}/invitations/{invitationId}/resend — send the e-mail again, limited (R9). */
export const handler = route(
  { auth: true, idempotent, problems: [409, 410], request: { path: InvitationPath } },
  async ({ caller, path }) => ({
    status: 200,
    body: await resend(caller, path.orgId, path.invitationId),
  }),
);
