import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { counterKeys } from '../entities/invoice.ts';
import { getItem, TABLE_NAME, type TransactItem } from './table.ts';

/** Access pattern: read a counter — GetItem COUNTER#<name> (consistent). */
export async function readCounter(name: 'invoice' | 'pro-forma'): Promise<number> {
  return ((await getItem(counterKeys(name)))?.value as number | undefined) ?? 0;
}

/**
 * R22, the gap-free step of the invoice sequence: the counter moves from `current` to
 * `current + 1` in the same transaction that stores the invoice numbered `current + 1`, or not
 * at all.
 */
export function invoiceCounterStep(current: number): TransactItem {
  return {
    Update: {
      TableName: TABLE_NAME,
      Key: counterKeys('invoice'),
      UpdateExpression: 'SET #value = :next',
      // Read as 0 when it did not exist yet (the counter starts at 1 and never goes).
      ConditionExpression: 'attribute_not_exists(#value) OR #value = :current',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':next': current + 1, ':current': current },
    },
  };
}

/** Access pattern: next pro-forma number — UpdateItem ADD, returning the new value (own numbering, R22). */
export async function nextProFormaNumber(): Promise<number> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      // Stryker disable next-line StringLiteral: equivalent — any key but the invoices' gives the pro-formas a sequence of their own
      Key: counterKeys('pro-forma'),
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes?.value as number;
}
