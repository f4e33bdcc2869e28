import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureLogin, type Login } from '../../infra/local/identity.ts';

export const local = () => inject('local');

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A fresh, confirmed login with a unique address, signed in through the local Cognito. */
export async function newLogin(name = 'user'): Promise<Login> {
  const { endpoints, userPoolId, userPoolClientId } = local();
  return ensureLogin(
    { endpoint: endpoints.cognito, userPoolId, clientId: userPoolClientId },
    `${name}-${randomUUID()}@example.com`,
    'Test-Passw0rd!',
  );
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls the local HTTP API as a client of the deployed API would. */
export async function api(
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${local().apiUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

let documentClient: DynamoDBDocumentClient | undefined;
/** Direct table access, to prove what a request did (or did not) write. */
export function table() {
  documentClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: local().endpoints.dynamodb, region: local().region, credentials }),
  );
  const client = documentClient;
  return {
    get: async (key: { pk: string; sk: string }) =>
      (await client.send(new GetCommand({ TableName: local().tableName, Key: key }))).Item,
  };
}

export const awsClientConfig = (endpoint: keyof ReturnType<typeof local>['endpoints']) => ({
  endpoint: local().endpoints[endpoint],
  region: local().region,
  credentials,
});
