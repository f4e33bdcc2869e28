import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { ProductPath } from '#core/path-ids.ts';
import { terminate } from '#core/services/products.ts';

/** POST /v1/organizations/{orgId}/products/{productId}/termination — rescind a product (R14). */
export const handler = route(
  { auth: true, idempotent, problems: [409], request: { path: ProductPath } },
  async ({ caller, path }) => ({
    status: 200,
    body: await terminate(caller, path.orgId, path.productId),
  }),
);
