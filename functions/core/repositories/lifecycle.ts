import { lifecycleKeys, type Product, productItem } from '../entities/product.ts';
import { queryAll } from './table.ts';

/** Access pattern: the products whose status changes on a day, one shard — Query GSI1 `LIFECYCLE#<day>#<shard>`. */
export async function listLifecycleDue(day: string, shard: number): Promise<Product[]> {
  const items = await queryAll({
    IndexName: 'GSI1',
    KeyConditionExpression: 'gsi1pk = :day',
    ExpressionAttributeValues: { ':day': lifecycleKeys(day, shard) },
  });
  return items.map(productItem.fromItem);
}
