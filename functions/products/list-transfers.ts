import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { PageQuery } from '#core/schemas.ts';
import { listIncomingTransfers } from '#core/services/products.ts';

/** GET /v1/organizations/{orgId}/product-transfers — requests waiting for this account's admins (R13). */
export const handler = route(
  { auth: true, request: { path: OrgPath, query: PageQuery } },
  async ({ caller, path, query }) => ({
    status: 200,
    body: await listIncomingTransfers(caller, path.orgId, query),
  }),
);
