import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { PageQuery } from '#core/schemas.ts';
import { listBillingAddresses } from '#core/services/billing.ts';

/** GET /v1/organizations/{orgId}/billing-addresses — the account's billing addresses, the default marked (R20). */
export const handler = route(
  {
    auth: true,
    request: { path: OrgPath, query: PageQuery },
  },
  async ({ caller, path, query }) => ({
    status: 200,
    body: await listBillingAddresses(caller, path.orgId, query),
  }),
);
