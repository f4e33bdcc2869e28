import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Middleware } from 'openapi-fetch';
import { inject } from 'vitest';
import { managerClient, type paths } from '../../clients/typescript/index.ts';
import { ensureLogin, type Login } from '../../infra/local/identity.ts';
import {
  type ApiRequest,
  type ApiResponse,
  callApi,
  linkToken,
  type Mail,
  readMailbox,
} from '../fixtures/client.ts';
import { contractBreach } from '../fixtures/contract.ts';
import { ADDRESS } from '../fixtures/routes.ts';
import { localOverride } from './local-info.ts';

export { ADDRESS, type ApiResponse, linkToken, type Mail };

/** The local stack the tests talk to (in a mutation run: the in-process front over it). */
export const local = () => localOverride() ?? inject('local');

/** A fresh, confirmed login with a unique address, signed in through the local Cognito. */
export async function newLogin(name = 'user'): Promise<Login> {
  const { endpoints, userPoolId, userPoolClientId } = local();
  return ensureLogin(
    { endpoint: endpoints.cognito, userPoolId, clientId: userPoolClientId },
    `${name}-${randomUUID()}@example.com`,
    'Test-Passw0rd!',
  );
}

/** The contract check as a middleware of the typed client: the same rule as for `api()`. */
const keepsContract: Middleware = {
  async onResponse({ request, response }) {
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: CSV
    }
    const breach = contractBreach(
      request.method,
      new URL(request.url).pathname,
      response.status,
      response.headers.get('content-type') ?? '',
      body,
    );
    if (breach) throw new Error(`Contract: ${breach}`);
    return response;
  },
};

/** The typed client of clients/typescript as a product client uses it, signed in as `token`. */
export const client = (token?: string) =>
  managerClient({ baseUrl: local().apiUrl, ...(token ? { token } : {}), middleware: [keepsContract] });

type OrderItems = paths['/v1/orders']['post']['requestBody']['content']['application/json']['items'];

/** Calls the local HTTP API as a client of the deployed API would. */
export async function api(method: string, path: string, options: ApiRequest = {}): Promise<ApiResponse> {
  const response = await callApi(local().apiUrl, method, path, options);
  // Every answer a test receives keeps the contract (docs/openapi.json), or the test fails.
  const breach = contractBreach(
    method,
    path,
    response.status,
    response.headers.get('content-type') ?? '',
    response.body,
  );
  if (breach) throw new Error(`Contract: ${breach}`);
  return response;
}

/** An account's audit log, newest first (its first page), as an admin reads it. */
export async function auditLog(token: string, orgId: string) {
  const response = await api('GET', `/v1/organizations/${orgId}/audit-log`, { token });
  return (
    response.body as {
      items: { action: string; actorId: string; details: Record<string, unknown>; route: string | null }[];
    }
  ).items;
}

/** An S3 client for the local documents bucket, as the account administrator (checksums only where S3 requires them, as the functions'). */
export const s3Client = () =>
  new S3Client({ ...awsClientConfig(), requestChecksumCalculation: 'WHEN_REQUIRED' });

let tableClient: DynamoDBDocumentClient | undefined;
/** A DynamoDB client for the local table, as the account administrator. */
export const documentClient = () => {
  tableClient ??= DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig()));
  return tableClient;
};

/**
 * Direct table access, to prove what a request did (or did not) write, and to move time for a
 * boundary test (set an item's date into the past, as if days had gone by).
 */
export function table() {
  const client = documentClient();
  return {
    get: async (key: { pk: string; sk: string }) =>
      (await client.send(new GetCommand({ TableName: local().tableName, Key: key }))).Item,
    /** Every item of one partition (a test's account holds a few dozen at most: one page). */
    partition: async (pk: string) =>
      (
        await client.send(
          new QueryCommand({
            TableName: local().tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ConsistentRead: true,
          }),
        )
      ).Items ?? [],
    /** The items under one key of a global secondary index (`GSI1`: `gsi1pk`). */
    indexed: async (index: 'GSI1' | 'GSI2', pk: string) =>
      (
        await client.send(
          new QueryCommand({
            TableName: local().tableName,
            IndexName: index,
            KeyConditionExpression: `${index.toLowerCase()}pk = :pk`,
            ExpressionAttributeValues: { ':pk': pk },
          }),
        )
      ).Items ?? [],
    put: async (item: Record<string, unknown>) => {
      await client.send(new PutCommand({ TableName: local().tableName, Item: item }));
    },
    set: async (key: { pk: string; sk: string }, values: Record<string, unknown>) => {
      const names = Object.keys(values);
      await client.send(
        new UpdateCommand({
          TableName: local().tableName,
          Key: key,
          UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
          ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
        }),
      );
    },
  };
}

/**
 * An AWS SDK client's configuration for the local AWS endpoint, as the account administrator
 * (what a test inspects or drives there is not limited by any function's role); `cognito`: the
 * local Cognito's public API, as a console client calls it.
 */
export const awsClientConfig = (service: 'aws' | 'cognito' = 'aws') => ({
  endpoint: service === 'aws' ? local().endpoints.aws : local().endpoints.cognito,
  region: local().region,
  credentials: local().adminCredentials,
});

/** A call to the local stack's control endpoint (infra/local/control.ts). */
export async function control(method: 'GET' | 'POST', path: string, json?: unknown): Promise<unknown> {
  const response = await fetch(`${local().controlUrl}${path}`, {
    method,
    ...(json === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
  });
  if (!response.ok) throw new Error(`control ${path} failed: ${await response.text()}`);
  return response.json();
}

/** Every e-mail the SES emulator received so far, oldest first. */
export const mailbox = (): Promise<Mail[]> => readMailbox(local().mailboxUrl);

/** The e-mails sent to one address. */
export async function mailTo(address: string): Promise<Mail[]> {
  return (await mailbox()).filter((m) => m.destination.to.includes(address));
}

/** Waits until `count` e-mails have reached the address (e-mails from workflows are asynchronous). */
export async function waitForMail(address: string, count = 1, timeoutMs = 10_000): Promise<Mail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailTo(address);
    if (mails.length >= count) return mails;
    if (Date.now() > deadline)
      throw new Error(`expected ${count} e-mail(s) to ${address}, got ${mails.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until `check` returns a value (eventually consistent effects of workflows). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Local Step Functions hook: this state times out after `seconds` for payloads matching `match`. */
export async function overrideTaskTimeout(state: string, seconds: number, match: Record<string, unknown>) {
  await control('POST', '/task-timeouts', { state, seconds, match });
}

export const PERSON = { kind: 'person', firstName: 'Ada', lastName: 'Lovelace' } as const;

/** A login with a fresh account of which it is the legal representative. */
export async function accountOwner(name = 'owner') {
  const login = await newLogin(name);
  const { data, error } = await client(login.idToken).POST('/v1/organizations', {
    body: { holder: PERSON, currency: 'CHF' },
  });
  if (!data) throw new Error(`could not create an account: ${JSON.stringify(error)}`);
  return { login, orgId: data.organizationId };
}

export const MEMBER_RIGHTS = { admin: false, billing: false, products: 'all' } as const;

/** Invites a new login into the account with the rights given and accepts through the e-mail link. */
export async function addMember(
  owner: Login,
  orgId: string,
  rights: { admin: boolean; billing: boolean; products: 'all' | string[] } = MEMBER_RIGHTS,
  name = 'member',
): Promise<Login> {
  const member = await newLogin(name);
  const invited = await client(owner.idToken).POST('/v1/organizations/{orgId}/invitations', {
    params: { path: { orgId } },
    body: { email: member.email, rights },
  });
  if (!invited.data) throw new Error(`could not invite: ${JSON.stringify(invited.error)}`);
  const [mail] = await waitForMail(member.email);
  const accepted = await client(member.idToken).POST('/v1/invitations/acceptances', {
    body: { token: linkToken(mail as Mail) },
  });
  if (!accepted.data) throw new Error(`could not accept: ${JSON.stringify(accepted.error)}`);
  return member;
}

/** A login of the provider's staff (Cognito group `staff`). */
export async function newStaff(): Promise<Login> {
  const { endpoints, userPoolId, userPoolClientId } = local();
  return ensureLogin(
    { endpoint: endpoints.cognito, userPoolId, clientId: userPoolClientId },
    `staff-${randomUUID()}@example.com`,
    'Test-Passw0rd!',
    {},
    ['staff'],
  );
}

/** What POST /v1/orders answers, as the contract types it. */
export type PlacedOrder = paths['/v1/orders']['post']['responses'][201]['content']['application/json'];

/** POST /v1/orders with a fresh Idempotency-Key (or the one given). */
export function order(token: string, json: unknown, key = randomUUID()) {
  return api('POST', '/v1/orders', { token, json, headers: { 'idempotency-key': key } });
}

/** A first order: it creates the account, by bank transfer, billed to ADDRESS. */
export const firstOrderBody = (items: unknown[]) => ({
  newAccount: { holder: PERSON, currency: 'CHF' as const },
  items: items as OrderItems,
  paymentMethod: 'iban' as const,
  billingAddress: ADDRESS,
});

/** A login whose first order (a domain for 12 months, by bank transfer) created its account. */
export async function customer(
  items: unknown[] = [{ type: 'domain', name: 'example.ch', periodMonths: 12 }],
) {
  const login = await newLogin('customer');
  const placed = await client(login.idToken).POST('/v1/orders', {
    params: { header: { 'idempotency-key': randomUUID() } },
    body: firstOrderBody(items),
  });
  if (!placed.data) throw new Error(`first order failed: ${JSON.stringify(placed.error)}`);
  return { login, orgId: placed.data.organizationId, firstOrder: placed.data };
}

/** The id of an account's first billing address (a customer's: the one its first order gave). */
export async function firstAddressId(token: string, orgId: string): Promise<string> {
  const listed = await api('GET', `/v1/organizations/${orgId}/billing-addresses`, { token });
  const [first] = (listed.body as { items: { addressId: string }[] }).items;
  if (!first) throw new Error(`account ${orgId} has no billing address`);
  return first.addressId;
}

/** Staff records a bank payment (the reconciliation import). */
export async function bankPayment(
  staff: Login,
  reference: string,
  amount: number,
  currency = 'CHF',
  bankTransactionId: string = randomUUID(),
) {
  return api('POST', '/v1/staff/bank-payments', {
    token: staff.idToken,
    json: { bankTransactionId, reference, amount, currency },
  });
}

/** A customer whose only product is terminated and whose invoice is paid: deletable (R27). */
export async function deletableCustomer() {
  const c = await customer();
  const staff = await newStaff();
  await api(
    'POST',
    `/v1/organizations/${c.orgId}/products/${c.firstOrder.products[0]?.productId}/termination`,
    {
      token: c.login.idToken,
    },
  );
  await bankPayment(staff, c.firstOrder.invoice.paymentReference, c.firstOrder.invoice.total);
  return { ...c, staff };
}

/** Everything an account's admin can read of it: compared before and after refused requests. */
export async function accountSnapshot(orgId: string, token: string): Promise<unknown[]> {
  const paths = [
    '',
    '/members',
    '/invitations',
    '/products',
    '/invoices',
    '/prepaid',
    '/billing-addresses',
    '/credits',
    '/product-transfers',
  ];
  return Promise.all(
    paths.map(async (p) => (await api('GET', `/v1/organizations/${orgId}${p}`, { token })).body),
  );
}

/** Runs a state machine of the local stack to its end and returns the execution. */
export async function runWorkflow(name: string, input: unknown) {
  const { SFNClient, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
  const sfn = new SFNClient(awsClientConfig());
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: local().stateMachines[name], input: JSON.stringify(input) }),
  );
  return workflowEnd(executionArn ?? '');
}

/** Waits for an execution to end (retries included) and returns it. */
async function workflowEnd(executionArn: string) {
  const { DescribeExecutionCommand, SFNClient } = await import('@aws-sdk/client-sfn');
  const sfn = new SFNClient(awsClientConfig());
  return eventually(async () => {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status === 'RUNNING' ? undefined : execution;
  }, 30_000);
}

/**
 * Waits for the end of the workflow a route started — found by its StartExecution call, whose
 * input mentions `mentions` — and returns the execution. What a retried step might still do
 * is done by then.
 */
export async function startedWorkflowEnd(mentions: string) {
  const { calls } = (await control('GET', `/calls?mentions=${encodeURIComponent(mentions)}`)) as {
    calls: { operation: string; request?: { stateMachineArn?: string; name?: string } }[];
  };
  const started = calls.filter((c) => c.operation === 'StartExecution').at(-1)?.request;
  if (!started?.stateMachineArn || !started.name) throw new Error(`no workflow started for ${mentions}`);
  return workflowEnd(`${started.stateMachineArn.replace(':stateMachine:', ':execution:')}:${started.name}`);
}

/** Waits for an e-mail to the address whose subject matches. */
export async function waitForSubject(address: string, subject: RegExp): Promise<Mail> {
  return eventually(async () => (await mailTo(address)).find((m) => subject.test(m.subject)));
}

/** Local stack hook: the next `times` invocations of a handler whose event contains `contains` fail. */
export async function injectFault(fault: {
  entry: string;
  handler?: string;
  contains: string;
  when: 'before' | 'after';
  times?: number;
}) {
  await control('POST', '/faults', { times: 1, ...fault });
}

/** How many injected faults matching `contains` have not fired yet (0: the crash happened). */
export async function faultsLeft(contains: string): Promise<number> {
  return ((await control('GET', `/faults?contains=${encodeURIComponent(contains)}`)) as { left: number })
    .left;
}

/**
 * Local stack hook: the next `times` calls of `operation` by the functions whose logical id starts
 * with `caller` wait `ms` before reaching DynamoDB, so that concurrent requests all read before
 * any writes and a race is decided by the database's conditions.
 */
export async function holdWrites(
  caller: string,
  times: number,
  operation = 'TransactWriteItems',
  ms = 400,
  contains?: string,
) {
  await control('POST', '/delays', { caller, operation, ms, times, contains });
}

/**
 * A request that loses every attempt of its retry loop: its next `attempts` transactions
 * (TransactWriteItems of the function `caller`, mentioning `contains`) are each held after the
 * request read what it writes from, and `move(n)` changes that during the n-th hold. Resolves
 * to the request's answer.
 */
export async function losingEveryAttempt<T>(
  caller: string,
  attempts: number,
  contains: string,
  request: () => Promise<T>,
  move: (attempt: number) => Promise<unknown>,
  ms = 400,
): Promise<T> {
  await holdWrites(caller, attempts, 'TransactWriteItems', ms, contains);
  const pending = request();
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await eventually(async () => ((await delaysLeft(contains)) === attempts - attempt ? true : undefined));
    await move(attempt);
  }
  return pending;
}

/** How many of the calls held or failed with this `contains` (holdWrites, failCalls) have not happened yet. */
export async function delaysLeft(contains: string): Promise<number> {
  return ((await control('GET', `/delays?contains=${encodeURIComponent(contains)}`)) as { left: number })
    .left;
}

/**
 * Local stack hook: the next `times` calls of `operation` by the functions whose logical id starts
 * with `caller` (and, given `contains`, whose request contains it) fail with `code`.
 */
export async function failCalls(
  caller: string,
  operation: string,
  code: string,
  times = 1,
  contains?: string,
) {
  await control('POST', '/delays', { caller, operation, ms: 0, times, fail: code, contains });
}
