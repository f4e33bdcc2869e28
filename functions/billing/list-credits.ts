import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { PageQuery } from '#core/schemas.ts';
import { listAccountCredits } from '#core/services/billing.ts';

/** GET /v1/organizations/{orgId}/credits — the account's free credits (R16). */
export const handler = route(
  { auth: true, request: { path: OrgPath, query: PageQuery } },
  async ({ caller, path, query }) => ({
    status: 200,
    body: await listAccountCredits(caller, path.orgId, query),
  }),
);
