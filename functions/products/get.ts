import { route } from '#core/http.ts';
import { ProductPath } from '#core/path-ids.ts';
import { getMyProduct } from '#core/services/products.ts';

/** GET /v1/organizations/{orgId}/products/{productId} — one product the caller may manage (R12). */
export const handler = route({ auth: true, request: { path: ProductPath } }, async ({ caller, path }) => ({
  status: 200,
  body: await getMyProduct(caller, path.orgId, path.productId),
}));
