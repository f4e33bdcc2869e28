import { route } from '#core/http.ts';
import { PageQuery } from '#core/schemas.ts';
import { listMyOrganizations } from '#core/services/organizations.ts';

/** GET /v1/me/organizations — the accounts the caller belongs to, with their role (R5). */
export const handler = route({ auth: true, request: { query: PageQuery } }, async ({ caller, query }) => ({
  status: 200,
  body: await listMyOrganizations(caller, query),
}));
