import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { idempotencyKeys, idempotencyRecord } from '../entities/records.ts';
import { isConditionFailure, TABLE_NAME } from './table.ts';

/** A creating request's answer as it was first given. */
export interface StoredAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What holds a key already: the same or another request, still at work or answered. */
export type Holder =
  | { state: 'started'; requestHash: string }
  | { state: 'done'; requestHash: string; answer: StoredAnswer };

/**
 * Access pattern: take an Idempotency-Key for a request — one PutItem
 * `IDEMPOTENCY#<user>#<key>` / `REQUEST`, only when the key is free or its holder stopped
 * without an answer (its lock ran out). On a refusal the holder comes back with the error
 * (ALL_OLD), so a replay costs no second read. Undefined: taken.
 */
export async function claimKey(
  userId: string,
  key: string,
  requestHash: string,
  lockMs: number,
): Promise<Holder | undefined> {
  const now = Date.now();
  try {
    await dynamo.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: {
          ...idempotencyRecord(userId, key, now),
          state: 'started',
          requestHash,
          lockedUntil: now + lockMs,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :started AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':started': 'started', ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // The old item comes back as the service sends it (AttributeValues, not unmarshalled).
    const old = (error as { Item?: Record<string, { S?: string; N?: string }> }).Item ?? {};
    // Stryker disable next-line OptionalChaining,StringLiteral: equivalent — every record has a request hash
    const requestHash = old.requestHash?.S ?? '';
    // An order's record (POST /v1/orders keeps its own, in its transaction) has no state.
    if (old.state?.S === 'started') return { state: 'started', requestHash };
    const answer = old.answer?.S;
    return {
      // Stryker disable next-line StringLiteral: equivalent — `once` asks only whether it is 'started'
      state: 'done',
      requestHash,
      // Stryker disable next-line ObjectLiteral: unreachable — only an order's record has no answer, and its hash is never another route's
      answer: answer ? (JSON.parse(answer) as StoredAnswer) : { status: 0 },
    };
  }
}

/**
 * Access pattern: keep the answer under the key — UpdateItem, only while this request holds it
 * (a retry that took the key over once its lock ran out keeps its own; this one's is refused).
 */
export async function keepAnswer(userId: string, key: string, requestHash: string, answer: StoredAnswer) {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: idempotencyKeys(userId, key),
      UpdateExpression: 'SET #state = :done, answer = :answer REMOVE lockedUntil',
      ConditionExpression: '#state = :started AND requestHash = :hash',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':done': 'done',
        ':started': 'started',
        ':hash': requestHash,
        ':answer': JSON.stringify(answer),
      },
    }),
  );
}

/**
 * Access pattern: free the key of a request that did not succeed — DeleteItem, only while this
 * request holds it: a retry runs the request again instead of replaying a refusal.
 */
export async function releaseKey(userId: string, key: string, requestHash: string) {
  await dynamo.send(
    new DeleteCommand({
      TableName: TABLE_NAME,
      Key: idempotencyKeys(userId, key),
      ConditionExpression: '#state = :started AND requestHash = :hash',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':started': 'started', ':hash': requestHash },
    }),
  );
}
