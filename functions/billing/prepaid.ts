import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { PageQuery } from '#core/schemas.ts';
import { prepaidStatement } from '#core/services/billing.ts';

/** GET /v1/organizations/{orgId}/prepaid — the prepaid balance and its latest movements (R18). */
export const handler = route(
  { auth: true, request: { path: OrgPath, query: PageQuery } },
  async ({ caller, path, query }) => ({
    status: 200,
    body: await prepaidStatement(caller, path.orgId, query),
  }),
);
