import * as z from 'zod/mini';
import { MAX_TRANSFER_PRODUCTS } from '#core/entities/product.ts';
import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { OrgPath } from '#core/path-ids.ts';
import { OrganizationId, ProductId } from '#core/schemas.ts';
import { transferProducts } from '#core/services/products.ts';

const Transfer = z.strictObject({
  productIds: z.array(ProductId).check(z.minLength(1), z.maxLength(MAX_TRANSFER_PRODUCTS)),
  targetOrganizationId: OrganizationId,
});

/** POST /v1/organizations/{orgId}/product-transfers — move products, at once or on request (R13). */
export const handler = route(
  {
    auth: true,
    idempotent,
    problems: [409],
    request: { path: OrgPath, body: Transfer },
  },
  async ({ caller, path, body }) => {
    const outcome = await transferProducts(caller, path.orgId, body);
    return { status: outcome.status === 'transferred' ? 200 : 202, body: outcome };
  },
);
