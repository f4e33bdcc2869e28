import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, one per module instance, created at cold start and reused across invocations.
 * Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables, which the local
 * stack sets; in AWS they are absent and the SDK uses the regional endpoints.
 */
export const dynamoClient = new DynamoDBClient({});

/** How many times in all a write that ran into an ongoing transaction is sent. */
export const CONFLICT_ATTEMPTS = 10;

/**
 * Whether DynamoDB refused a write because an ongoing transaction writes one of its items: a
 * PutItem, UpdateItem or DeleteItem's TransactionConflictException, or a transaction cancelled
 * for `TransactionConflict` with no condition failed (a failed condition is an answer).
 */
export function isTransactionConflict(error: unknown): boolean {
  const { name, CancellationReasons = [] } = error as {
    name?: string;
    CancellationReasons?: { Code?: string }[];
  };
  if (name === 'TransactionConflictException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const codes = CancellationReasons.map((reason) => reason.Code);
  return (
    codes.includes('TransactionConflict') && codes.every((c) => c === 'TransactionConflict' || c === 'None')
  );
}

/**
 * Writes that ran into an ongoing transaction are sent again. The SDK does not retry them (they
 * are 400s), yet nothing was written and every condition is evaluated anew, so the same request
 * is safe to send again once the other transaction is done: a pause that doubles each time up
 * to 160–320 ms (10–20 ms, 20–40 ms…; 0.95–1.9 s in all), up to CONFLICT_ATTEMPTS sends, enough
 * for a dozen writers in a row. Hot items — the invoice counter every invoice writes, an
 * account written by its orders and payments — meet such conflicts in AWS; DynamoDB Local
 * runs transactions one at a time, and the local stack's endpoint refuses them as AWS does
 * (docs/local-fidelity.md). The pauses count against the function's timeout, here as in AWS.
 */
dynamoClient.middlewareStack.add(
  (next) => async (args) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(args);
      } catch (error) {
        if (attempt === CONFLICT_ATTEMPTS || !isTransactionConflict(error)) throw error;
        const pause = Math.min(10 * 2 ** (attempt - 1), 160);
        await new Promise((resolve) => setTimeout(resolve, pause * (1 + Math.random())));
      }
    }
  },
  { step: 'initialize', name: 'retryTransactionConflicts' },
);

export const dynamo = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});
