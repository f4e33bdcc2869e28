import { route } from '#core/http.ts';
import { listMyOrganizations } from '#core/services/organizations.ts';

/** GET /v1/me/organizations — the accounts the caller belongs to, with their role (R5). */
export const handler = route({ auth: true }, async ({ caller }) => ({
  status: 200,
  body: { items: await listMyOrganizations(caller) },
}));
