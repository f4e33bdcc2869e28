import * as z from 'zod/mini';
import { emailSource } from '#core/caller-email.ts';
import { route } from '#core/http.ts';
import { OrganizationId } from '#core/schemas.ts';
import { switchOrganization } from '#core/services/organizations.ts';

/** PUT /v1/me/current-organization — switch account; remembered as a preference (R5). */
export const handler = route(
  {
    auth: true,
    request: { body: z.strictObject({ organizationId: OrganizationId }) },
  },
  async ({ caller, body }) => ({
    status: 200,
    body: await switchOrganization(caller, body.organizationId, emailSource(caller)),
  }),
);
