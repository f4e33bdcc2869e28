import { type Product, type ProductStatus, productItem, productKeys } from '../entities/product.ts';
import { productsByTermEnd } from './products.ts';
import { batchGet } from './table.ts';

/**
 * Access pattern: the products of one shard whose term ended from `from` to `to` (days,
 * inclusive), with the given status if one is named — one Query of the term-end index (GSI2
 * DUE#<shard>), filtered on the status. A product's own status changes follow from its term's
 * end (R12), so they need no index of their own.
 */
export async function listTermsEnded(
  shard: number,
  range: { from: string; to: string },
  status?: ProductStatus,
): Promise<Product[]> {
  return productsByTermEnd(
    shard,
    range,
    status && {
      expression: '#status = :status',
      names: { '#status': 'status' },
      values: { ':status': status },
    },
  );
}

/** Access pattern: the products as they are now (the index is eventually consistent) — consistent BatchGetItem, 100 keys each. */
export async function currentProducts(products: Product[]): Promise<Product[]> {
  const items = await batchGet(
    products.map((p) => productKeys(p.organizationId, p.productId)),
    true,
  );
  return items.map(productItem.fromItem);
}
