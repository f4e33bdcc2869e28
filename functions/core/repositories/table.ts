import type { QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { accountPartition, type Item } from '../entities/item.ts';
import { auditKeys } from '../entities/records.ts';
import { newId } from '../ids.ts';
import { currentRoute } from '../request-context.ts';

export const TABLE_NAME = requiredEnv('TABLE_NAME');

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type Key = { pk: string; sk: string };

/**
 * A transaction whose failed conditions are reported by item label instead of position:
 * `{ ok: false, failed: ['admins'] }` when that item's condition did not hold. Only the items
 * a caller asks about carry a label; the others are named by their position.
 */
export async function transact(
  items: { label?: string; item: TransactItem }[],
): Promise<{ ok: true } | { ok: false; failed: string[] }> {
  try {
    await dynamo.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
    return { ok: true };
  } catch (error) {
    // Only a cancelled transaction (TransactionCanceledException) names its reasons, one per item.
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    // Stryker disable next-line OptionalChaining: equivalent — DynamoDB gives one reason per item
    const labelOf = (i: number) => items[i]?.label ?? String(i);
    // Stryker disable next-line ArrayDeclaration: equivalent — a reason that is a string names no failed condition
    const failed = (reasons ?? []).flatMap((reason, i) =>
      reason.Code === 'ConditionalCheckFailed' ? [labelOf(i)] : [],
    );
    if (failed.length === 0) throw error;
    return { ok: false, failed };
  }
}

/**
 * An audit entry (who did what, *beyond* the spec), written in the same transaction as the
 * change it records. Keys: pk = ORG#<orgId>, sk = AUDIT#<ulid>.
 */
export function auditEntry(
  organizationId: string,
  actorId: string,
  action: string,
  details: Record<string, unknown>,
): TransactItem {
  const route = currentRoute();
  return {
    Put: {
      TableName: TABLE_NAME,
      Item: {
        ...auditKeys(organizationId, newId()),
        type: 'Audit',
        actorId,
        action,
        details,
        at: new Date().toISOString(),
        // From which route, when an API call made the change (a workflow step has none).
        ...(route ? { route } : {}),
      },
    },
  };
}

export const isConditionFailure = (error: unknown) =>
  (error as Error).name === 'ConditionalCheckFailedException';

/** One item by its key, read consistently unless said otherwise. */
export async function getItem(key: Key, consistent = true): Promise<Item | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: TABLE_NAME, Key: key, ConsistentRead: consistent }),
  );
  return Item;
}

/** Writes an item, only if its condition holds; false when it did not. */
export async function putItem(
  item: Item,
  condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> },
): Promise<boolean> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: item,
        ...(condition
          ? {
              ConditionExpression: condition.expression,
              ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
              ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
            }
          : {}),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** One Query, read to its end: DynamoDB pages at 1 MB, a list of members or accounts must not. */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>) {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, TableName: TABLE_NAME, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Which page of a list: its size, and the key the previous page ended at (from its cursor). */
export interface PageRequest {
  limit: number;
  start?: Record<string, unknown> | undefined;
}

/** One page of a list: its items, and the key the next page starts after (absent at the end). */
export interface Page<T> {
  items: T[];
  lastKey?: Record<string, unknown>;
}

/** A page with each item read anew (as an entity, as a view), the same key to go on from. */
export const pageOf = <A, T>(page: Page<A>, read: (item: A) => T): Page<T> => ({
  items: page.items.map(read),
  ...(page.lastKey ? { lastKey: page.lastKey } : {}),
});

/**
 * One page of a partition's items whose sort key starts with `prefix`, newest first, from
 * `start`. It reads one item more than the page holds, so that a page that ends the list says
 * so (no cursor to an empty page). A filtered read may come back short from DynamoDB: it reads
 * on until the page is full or the list ends (filtered-out items are billed as read).
 */
export async function queryPage(options: {
  pk: string;
  prefix: string;
  limit: number;
  start?: Record<string, unknown> | undefined;
  /** Sort-key order (ids that are ULIDs: oldest first); newest first without it. */
  oldestFirst?: boolean;
  /** A strongly consistent read, for lists a client reads right after changing them. */
  consistent?: boolean;
  filter?:
    | { expression: string; names?: Record<string, string>; values: Record<string, unknown> }
    | undefined;
}): Promise<Page<Item>> {
  const items: Item[] = [];
  const wanted = options.limit + 1;
  let start = options.start;
  const { filter } = options;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: TABLE_NAME,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ...(filter?.names ? { ExpressionAttributeNames: filter.names } : {}),
        ExpressionAttributeValues: { ':pk': options.pk, ':prefix': options.prefix, ...filter?.values },
        ScanIndexForward: options.oldestFirst === true,
        ...(options.consistent ? { ConsistentRead: true } : {}),
        Limit: wanted - items.length,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < wanted);
  if (items.length <= options.limit) return { items };
  const kept = items.slice(0, options.limit);
  const last = kept[kept.length - 1] as Item;
  return { items: kept, lastKey: { pk: last.pk, sk: last.sk } };
}

/** A page of one account's items of one kind (their sort-key prefix), read as entities. */
export async function accountPage<T>(
  organizationId: string,
  prefix: string,
  page: PageRequest,
  read: (item: Item) => T,
  options: { oldestFirst?: boolean; consistent?: boolean } = {},
): Promise<Page<T>> {
  return pageOf(await queryPage({ pk: accountPartition(organizationId), prefix, ...options, ...page }), read);
}

/** The items of a partition whose sort key starts with `prefix` — one Query, read to its end. */
export function queryPrefix(
  pk: string,
  prefix: string,
  options: { consistent?: boolean; keysOnly?: boolean } = {},
) {
  return queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ...(options.consistent ? { ConsistentRead: true } : {}),
    ...(options.keysOnly ? { ProjectionExpression: 'pk, sk' } : {}),
  });
}

/** BatchGetItem, 100 keys at a time, asking again for what DynamoDB leaves unprocessed. */
export async function batchGet(keys: Key[], consistent = false): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, { Keys: Key[]; ConsistentRead?: boolean }> | undefined = {
      [TABLE_NAME]: { Keys: keys.slice(i, i + 100), ...(consistent ? { ConsistentRead: true } : {}) },
    };
    while (request && Object.keys(request).length) {
      const {
        Responses,
        UnprocessedKeys,
      }: { Responses?: Record<string, Item[]>; UnprocessedKeys?: unknown } = await dynamo.send(
        new BatchGetCommand({ RequestItems: request }),
      );
      found.push(...(Responses?.[TABLE_NAME] ?? []));
      request = UnprocessedKeys as typeof request;
    }
  }
  return found;
}

/**
 * The items of one consistent BatchGetItem, by key: each key asked once whatever the caller
 * repeats (DynamoDB refuses a request naming a key twice), absent keys skipped, no request for
 * none. `item(key)` finds an item; `read(key, decode)` decodes it; both undefined when absent.
 */
export async function batchGetKeyed(keys: (Key | undefined)[]) {
  const id = (key: Key) => `${String(key.pk)}\u0000${String(key.sk)}`;
  const unique = [...new Map(keys.flatMap((key) => (key ? [[id(key), key] as const] : []))).values()];
  const found = new Map(
    (unique.length ? await batchGet(unique, true) : []).map((item) => [id(item as Key), item]),
  );
  const item = (key: Key | undefined): Item | undefined => (key ? found.get(id(key)) : undefined);
  return {
    item,
    read: <T>(key: Key | undefined, decode: (item: Item) => T): T | undefined => {
      const found = item(key);
      return found ? decode(found) : undefined;
    },
  };
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/** BatchWriteItem, 25 requests at a time, retrying what DynamoDB leaves unprocessed. */
export async function batchWrite(requests: WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let unprocessed: Record<string, WriteRequest[]> | undefined = { [TABLE_NAME]: requests.slice(i, i + 25) };
    while (unprocessed && Object.keys(unprocessed).length) {
      const { UnprocessedItems } = await dynamo.send(new BatchWriteCommand({ RequestItems: unprocessed }));
      unprocessed = UnprocessedItems as typeof unprocessed;
    }
  }
}

/** Deletes items by key (idempotent). */
export async function deleteAll(keys: Key[]): Promise<number> {
  await batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  return keys.length;
}
