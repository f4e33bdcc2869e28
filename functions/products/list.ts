import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { PageQuery } from '#core/schemas.ts';
import { listMyProducts } from '#core/services/products.ts';

/** GET /v1/organizations/{orgId}/products — the products the caller may manage (R7, R12). */
export const handler = route(
  { auth: true, request: { path: OrgPath, query: PageQuery } },
  async ({ caller, path, query }) => ({
    status: 200,
    body: await listMyProducts(caller, path.orgId, query),
  }),
);
