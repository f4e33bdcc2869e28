import { dayRange, lifecyclePartition, type Product, productItem, productKeys } from '../entities/product.ts';
import { batchGet, queryAll } from './table.ts';

/**
 * Access pattern: the products of one shard whose status changes from `from` to `to` (days,
 * inclusive) — one Query of GSI1 gsi1pk = LIFECYCLE#<shard>, gsi1sk BETWEEN `<from>#` AND `<to>#~`.
 */
export async function listLifecycleDue(shard: number, from: string, to: string): Promise<Product[]> {
  const range = dayRange(from, to);
  const items = await queryAll({
    IndexName: 'GSI1',
    KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':shard': lifecyclePartition(shard), ':from': range.from, ':to': range.to },
  });
  return items.map(productItem.fromItem);
}

/** Access pattern: the products as they are now (the index is eventually consistent) — consistent BatchGetItem, 100 keys each. */
export async function currentProducts(products: Product[]): Promise<Product[]> {
  const items = await batchGet(
    products.map((p) => productKeys(p.organizationId, p.productId)),
    true,
  );
  return items.map(productItem.fromItem);
}
