import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, one per module instance, created at cold start and reused across invocations.
 * Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables, which the local
 * stack sets; in AWS they are absent and the SDK uses the regional endpoints.
 */
const dynamoClient = new DynamoDBClient({});

/**
 * Benchmarks count DynamoDB requests and items read per operation (MANAGER_COUNT_DYNAMODB,
 * set only by `npm run bench`); the counters live on globalThis, shared by every handler of the
 * local stack's process. Never enabled in AWS.
 */
export interface DynamoCounters {
  requests: number;
  itemsRead: number;
  byCommand: Record<string, number>;
}
if (process.env.MANAGER_COUNT_DYNAMODB === 'true') {
  const shared = globalThis as { __managerDynamo?: DynamoCounters };
  shared.__managerDynamo ??= { requests: 0, itemsRead: 0, byCommand: {} };
  const counters = shared.__managerDynamo;
  dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as {
        Items?: unknown[];
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      counters.requests++;
      counters.byCommand[context.commandName ?? '?'] =
        (counters.byCommand[context.commandName ?? '?'] ?? 0) + 1;
      counters.itemsRead +=
        (output.Items?.length ?? 0) +
        (output.Item ? 1 : 0) +
        Object.values(output.Responses ?? {}).reduce((n, items) => n + items.length, 0);
      return result;
    },
    { step: 'initialize', name: 'managerCounter' },
  );
}

export const dynamo = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});
