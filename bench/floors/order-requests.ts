import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

/**
 * A floor of POST /v1/orders' cold start (bench, section 2a; decision 94): the two requests an
 * order makes and nothing else — a consistent BatchGetItem of the keys it reads, then a
 * TransactWriteItems of seven conditional Puts the size of an order's items, to keys of their
 * own. Bundled as the stack bundles a function, beside the bare GetItem handler.
 */
export interface FloorEvent {
  keys: { pk: string; sk: string }[];
  body: unknown;
  /** A partition of this run's own for the Puts. */
  pk: string;
}

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const TableName = process.env.TABLE_NAME;

const item = (pk: string, i: number) => ({
  pk,
  sk: `ITEM#${i}`,
  name: `item ${i}`,
  at: new Date().toISOString(),
  amount: 900 + i,
  lines: [{ description: 'Web hosting first-call, 1 month', gross: 900, net: 900, vat: 73, total: 973 }],
  address: {
    name: 'Ada Lovelace',
    street: 'Bahnhofstrasse',
    postalCode: '8001',
    city: 'Zürich',
    country: 'CH',
  },
});

export async function orderRequests(event: FloorEvent): Promise<void> {
  await client.send(
    new BatchGetCommand({
      RequestItems: { [String(TableName)]: { Keys: event.keys, ConsistentRead: true } },
    }),
  );
  await client.send(
    new TransactWriteCommand({
      TransactItems: [0, 1, 2, 3, 4, 5, 6].map((i) => ({
        Put: { TableName, Item: item(event.pk, i), ConditionExpression: 'attribute_not_exists(pk)' },
      })),
    }),
  );
}

export const handler = orderRequests;
