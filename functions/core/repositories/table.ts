import type { QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { newId } from '../ids.ts';

export const TABLE_NAME = requiredEnv('TABLE_NAME');

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * A transaction whose failed conditions are reported by item label instead of position:
 * `{ ok: false, failed: ['membership'] }` when that item's condition did not hold.
 */
export async function transact(
  items: { label: string; item: TransactItem }[],
): Promise<{ ok: true } | { ok: false; failed: string[] }> {
  try {
    await dynamo.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
    return { ok: true };
  } catch (error) {
    const e = error as Error & { CancellationReasons?: { Code?: string }[] };
    if (e.name !== 'TransactionCanceledException' || !e.CancellationReasons) throw error;
    const failed = e.CancellationReasons.flatMap((reason, i) =>
      reason.Code === 'ConditionalCheckFailed' ? [items[i]?.label ?? String(i)] : [],
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
  const at = new Date().toISOString();
  return {
    Put: {
      TableName: TABLE_NAME,
      Item: {
        pk: `ORG#${organizationId}`,
        sk: `AUDIT#${newId()}`,
        type: 'Audit',
        actorId,
        action,
        details,
        at,
      },
    },
  };
}

export const isConditionFailure = (error: unknown) =>
  (error as Error).name === 'ConditionalCheckFailedException';

/** One Query, read to its end: DynamoDB pages at 1 MB, a list of members or accounts must not. */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>) {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, TableName: TABLE_NAME, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

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
export async function deleteAll(keys: { pk: string; sk: string }[]): Promise<number> {
  await batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  return keys.length;
}
