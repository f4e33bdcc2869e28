import * as z from 'zod/mini';
import { GrantableRights } from '#core/entities/membership.ts';
import { Language } from '#core/entities/user.ts';
import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { OrgPath } from '#core/path-ids.ts';
import { EmailAddress } from '#core/schemas.ts';
import { invite } from '#core/services/invitations.ts';

const InviteBody = z.strictObject({
  email: EmailAddress,
  rights: GrantableRights,
  language: z.optional(Language),
});

/** POST /v1/organizations/{orgId}/invitations — invite an address with the rights to grant (R9). */
export const handler = route(
  {
    auth: true,
    idempotent,
    problems: [409, 429],
    request: { path: OrgPath, body: InviteBody },
  },
  async ({ caller, path, body }) => ({ status: 201, body: await invite(caller, path.orgId, body) }),
);
