import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, one per module instance, created at cold start and reused across invocations.
 * Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables, which the local
 * stack sets; in AWS they are absent and the SDK uses the regional endpoints.
 */
const dynamoClient = new DynamoDBClient({});

/**
 * Benchmarks count DynamoDB requests and items read per operation: with MANAGER_COUNT_DYNAMODB
 * (set only by `npm run bench`), every request is reported to the observer the bench installs
 * on globalThis. Never enabled in AWS.
 */
export type DynamoObserver = (command: string, itemsRead: number) => void;
if (process.env.MANAGER_COUNT_DYNAMODB === 'true') {
  dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      let itemsRead = 0;
      try {
        const result = await next(args);
        const output = (result.output ?? {}) as {
          Items?: unknown[];
          Item?: unknown;
          Responses?: Record<string, unknown[]>;
        };
        itemsRead =
          (output.Items?.length ?? 0) +
          (output.Item ? 1 : 0) +
          Object.values(output.Responses ?? {}).reduce((n, items) => n + items.length, 0);
        return result;
      } finally {
        // Failed requests (a condition not met) count too: DynamoDB bills them.
        (globalThis as { __managerDynamoObserver?: DynamoObserver }).__managerDynamoObserver?.(
          context.commandName ?? '?',
          itemsRead,
        );
      }
    },
    { step: 'initialize', name: 'managerCounter' },
  );
}

export const dynamo = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});
