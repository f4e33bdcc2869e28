import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { UserId } from '#core/schemas.ts';
import { replaceLegalRepresentative } from '#core/services/members.ts';

/** PUT /v1/organizations/{orgId}/legal-representative — hand the role to another member (R11). */
export const handler = route(
  {
    auth: true,
    problems: [409],
    request: { path: OrgPath, body: z.strictObject({ userId: UserId }) },
  },
  async ({ caller, path, body }) => ({
    status: 200,
    body: await replaceLegalRepresentative(caller, path.orgId, body.userId),
  }),
);
