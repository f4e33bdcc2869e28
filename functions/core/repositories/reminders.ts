import {
  dueKeys,
  PRODUCT_PREFIX,
  type Product,
  productItem,
  reminderMarkerKeys,
} from '../entities/product.ts';
import { type UserProfile, userItem, userKeys } from '../entities/user.ts';
import { advanceReminderItem } from './products.ts';
import { batchGet, queryAll, TABLE_NAME, transact } from './table.ts';

/** Access pattern: the products due on a day, in one shard — Query GSI2 gsi2pk = DUE#<day>#<shard>. */
export async function listDue(day: string, shard: number): Promise<Product[]> {
  const items = await queryAll({
    IndexName: 'GSI2',
    KeyConditionExpression: 'gsi2pk = :due',
    ExpressionAttributeValues: { ':due': dueKeys(day, shard) },
  });
  return items.map(productItem.fromItem);
}

const markerKeys = (product: Product, stage: number) =>
  reminderMarkerKeys(product.productId, product.expiresOn, stage);

/**
 * Access pattern: which of these products were already reminded at their stage this term —
 * BatchGetItem of the markers PRODUCT#<id> / REMINDER#<expiresOn>#<stage>.
 */
export async function alreadyReminded(products: Product[]): Promise<Set<string>> {
  const keys = products.flatMap((p) => (p.nextReminder ? [markerKeys(p, p.nextReminder.stage)] : []));
  const found = await batchGet(keys);
  return new Set(found.map((item) => String(item.pk).slice(PRODUCT_PREFIX.length)));
}

/** Access pattern: profiles of the recipients (language, opt-out) — BatchGetItem USER#<id> / PROFILE. */
export async function profilesOf(userIds: string[]): Promise<Map<string, UserProfile>> {
  const found = (await batchGet(userIds.map(userKeys))).map(userItem.fromItem);
  return new Map(found.map((profile) => [profile.userId, profile]));
}

/**
 * Access pattern: record a stage as sent and move the product to its next stage — one
 * transaction: the marker (at most once per product, term and stage, R25) and the product's
 * index entry (only while still at that stage).
 */
export async function markReminded(
  product: Product,
  next: { stage: number; day: string } | undefined,
): Promise<'done' | 'already' | 'moved'> {
  const stage = product.nextReminder?.stage ?? 0;
  const result = await transact([
    {
      label: 'marker',
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: {
            ...markerKeys(product, stage),
            type: 'ReminderSent',
            organizationId: product.organizationId,
            at: new Date().toISOString(),
            expiresAt: Math.floor(Date.now() / 1000) + 400 * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    { label: 'product', item: advanceReminderItem(product, next) },
  ]);
  if (result.ok) return 'done';
  return result.failed.includes('marker') ? 'already' : 'moved';
}

/** A product whose stage was already sent still has to leave today's partition. */
export async function skipStage(product: Product, next: { stage: number; day: string } | undefined) {
  const result = await transact([{ label: 'product', item: advanceReminderItem(product, next) }]);
  return result.ok;
}
