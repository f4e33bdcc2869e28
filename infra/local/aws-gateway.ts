import { randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { crc32 } from 'node:zlib';
import { LOCAL_ACCOUNT, LOCAL_REGION, tableArn, userPoolArn } from './account.ts';
import { accessDeniedMessage, type Decision, type RolePolicy } from './iam.ts';
import { type LocalS3, type S3Response, s3Error } from './s3.ts';
import type { LocalSecretValue } from './secrets.ts';
import {
  parseSigV4,
  payloadHashMismatch,
  type SignedRequest,
  signatureMatches,
  timeProblem,
} from './sigv4.ts';

/**
 * The local AWS endpoint: every AWS SDK call of a local function arrives here (the function's
 * AWS_ENDPOINT_URL), signed with its own role's credentials as in Lambda. Like AWS, it
 *   1. authenticates: the SigV4 signature (header or presigned URL), its time and expiry, the
 *      session token; an unsigned request is refused;
 *   2. authorizes: the action and resources the request names are evaluated against the
 *      policies of the caller's role (every item of a transaction, the index of a Query);
 *   3. answers as the service would — AccessDenied in the service's own error format — or
 *      forwards to the emulator behind it (DynamoDB Local, the SES emulator, cognito-local, the
 *      local Step Functions and S3).
 * The local tools (tests, `npm run reminders`) call it with the account's administrator key.
 */

export interface Principal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** `arn:aws:sts::…:assumed-role/<role>/<function>`, as AWS names the caller in errors. */
  arn: string;
  /** Who calls: a function's logical id, or `admin`. */
  name: string;
  /** Its role's policies; none: the account's administrator, allowed everything. */
  policy?: RolePolicy;
}

export interface AwsCall {
  principal: string;
  service: string;
  operation: string;
  status: number;
  /** Set when IAM refused the call. */
  denied?: string;
  /** JSON protocols: the request and the answer, parsed. */
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
  at: string;
}

/**
 * What a DynamoDB call read: the items it returned (GetItem, BatchGetItem) or, for a Query or a
 * Scan, the items it examined — those its FilterExpression left out are read (and billed) too.
 */
export function itemsRead(call: Pick<AwsCall, 'service' | 'response'>): number {
  if (call.service !== 'dynamodb') return 0;
  const output = (call.response ?? {}) as {
    Items?: unknown[];
    ScannedCount?: number;
    Item?: unknown;
    Responses?: Record<string, unknown[]>;
  };
  return (
    (output.ScannedCount ?? output.Items?.length ?? 0) +
    (output.Item ? 1 : 0) +
    Object.values(output.Responses ?? {}).reduce((n, items) => n + items.length, 0)
  );
}

const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

/**
 * What DynamoDB on demand bills for a call, in read and write request units: DynamoDB Local's
 * consumed capacity (indexes included), corrected where it departs from DynamoDB's billing
 * rules (docs/local-fidelity.md): transactions cost two units per item unit; a BatchGetItem
 * key that finds nothing costs what a GetItem miss costs; a write refused by its condition, and
 * a cancelled transaction, are billed as the writes they would have been (one unit per item:
 * the items here are under 1 KB), which DynamoDB Local reports as nothing.
 */
export function billedUnits(
  call: Pick<AwsCall, 'service' | 'operation' | 'request' | 'response' | 'status'>,
): {
  read: number;
  write: number;
} {
  if (call.service !== 'dynamodb') return { read: 0, write: 0 };
  const request = (call.request ?? {}) as {
    ConsistentRead?: boolean;
    TransactItems?: unknown[];
    RequestItems?: Record<string, { Keys?: unknown[]; ConsistentRead?: boolean } | unknown[]>;
  };
  const response = (call.response ?? {}) as {
    ConsumedCapacity?: Capacity | Capacity[];
    Responses?: Record<string, unknown[]>;
    UnprocessedKeys?: Record<string, { Keys?: unknown[] }>;
  };
  const reads = ['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'].includes(call.operation);
  const side = (units: number) => (reads ? { read: units, write: 0 } : { read: 0, write: units });
  if (call.status >= 400) {
    const items = call.operation === 'TransactWriteItems' ? 2 * (request.TransactItems?.length ?? 0) : 1;
    return side(reads ? 0 : items);
  }
  const consumed = [response.ConsumedCapacity ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
  if (call.operation === 'TransactWriteItems' || call.operation === 'TransactGetItems')
    return side(2 * consumed);
  if (call.operation === 'BatchGetItem') {
    const misses = Object.entries(request.RequestItems ?? {}).reduce((n, [name, asked]) => {
      const { Keys = [], ConsistentRead } = asked as { Keys?: unknown[]; ConsistentRead?: boolean };
      const answered = response.Responses?.[name]?.length ?? 0;
      const unprocessed = response.UnprocessedKeys?.[name]?.Keys?.length ?? 0;
      return n + (Keys.length - answered - unprocessed) * (ConsistentRead ? 1 : 0.5);
    }, 0);
    return side(consumed + misses);
  }
  return side(consumed);
}

/** A call as the control endpoint lists it: who, what, with which request, how many items read. */
export interface CallSummary {
  principal: string;
  service: string;
  operation: string;
  status: number;
  request?: Record<string, unknown>;
  itemsRead: number;
  at: string;
}

/**
 * Local only (tests): hold the next `times` calls of `operation` made by functions whose logical
 * id starts with `caller` for `ms` before they reach the service — latency on purpose, so that
 * concurrent requests all pass their reads before any of them writes, and a race is decided by
 * the database's conditions rather than by timing.
 */
export interface Delay {
  caller: string;
  operation: string;
  ms: number;
  times: number;
  /** An error code the held calls then answer with, as the service would in an outage. */
  fail?: string;
  /**
   * DynamoDB transactions: held after they reached the table rather than before, so that the
   * items they write are those of an ongoing transaction while they are held — a slow commit,
   * which other writes of those items run into (TransactionConflict).
   */
  ongoing?: boolean;
  /**
   * Only calls whose request contains this text (a test's own id): other tests' calls pass. A
   * form-encoded request (SES) is read decoded, so an e-mail address is matched as written.
   */
  contains?: string;
}

export interface StepFunctionsApi {
  handle(action: string, body: Record<string, unknown>): unknown;
  /** The state machine whose execution issued a task token. */
  stateMachineOfTask(taskToken: string): string | undefined;
}

export interface AwsGatewayOptions {
  principals: Principal[];
  backends: { dynamodb: string; ses: string; cognito: string };
  stepFunctions: StepFunctionsApi;
  s3: LocalS3;
  mail: { identities: string[]; configurationSets: string[] };
  secrets: LocalSecretValue[];
  /** Each table's key attributes (its KeySchema), to tell which item a write names. */
  tableKeys: Record<string, string[]>;
  /**
   * In-process front only (mutation runs): every function calls with the administrator's key,
   * and this request header names the function calling, so that a test's hold (`Delay`) still
   * finds its caller. The normal local stack never sets it: a header names nobody there.
   */
  callerHeader?: string;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Large enough for any object the system stores; API Gateway bounds what reaches the functions. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const agent = new Agent({ keepAlive: true });
const JSON_SERVICES: Record<string, { version: string; prefix: string }> = {
  dynamodb: { version: '1.0', prefix: 'com.amazon.coral.service#' },
  states: { version: '1.0', prefix: 'com.amazonaws.swf.base.model#' },
  'cognito-idp': { version: '1.1', prefix: '' },
  secretsmanager: { version: '1.1', prefix: '' },
};

const jsonReply = (status: number, body: unknown, version = '1.0'): Reply => ({
  status,
  headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': randomUUID() },
  body: Buffer.from(JSON.stringify(body)),
});

/** Error codes the services send with a 5xx status, which the SDK retries on its own. */
const SERVER_ERRORS = new Set([
  'InternalErrorException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
]);

/** S3 answers its errors with their own HTTP status (a denied read is a 403, not a 400). */
const S3_STATUS: Record<string, number> = {
  AccessDenied: 403,
  NoSuchKey: 404,
  SlowDown: 503,
  InternalError: 500,
};

function serviceError(service: string, status: number, code: string, message: string): Reply {
  if (service === 's3') return s3Error(status, code, message);
  if (service === 'ses' || service === 'email') {
    const body = `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    return { status, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
  }
  const json = JSON_SERVICES[service] ?? { version: '1.0', prefix: '' };
  return jsonReply(status, { __type: `${json.prefix}${code}`, message, Message: message }, json.version);
}

/** A request's body as text, a form-encoded one (the query protocol: SES) decoded. */
function readable(body: Buffer): string {
  const text = body.toString('utf8');
  if (!/^Action=/.test(text)) return text;
  return [...new URLSearchParams(text)].map(([name, value]) => `${name}=${value}`).join('&');
}

const escapeXml = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body.toString('utf8') || '{}') as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

type AttributeMap = Record<string, unknown>;

/**
 * The items a DynamoDB write names, one string each (its table and key): every item of a
 * TransactWriteItems, in order, or the one item of a PutItem, UpdateItem or DeleteItem; none
 * for any other operation.
 */
function writtenItems(operation: string, body: AttributeMap, tableKeys: Record<string, string[]>): string[] {
  const itemOf = (detail: AttributeMap | undefined) => {
    const table = String(detail?.TableName);
    const attributes = (detail?.Key ?? detail?.Item ?? {}) as AttributeMap;
    const names = tableKeys[table] ?? Object.keys(attributes).sort();
    return JSON.stringify([table, ...names.map((name) => attributes[name])]);
  };
  if (operation === 'TransactWriteItems')
    return ((body.TransactItems as AttributeMap[] | undefined) ?? []).map((item) =>
      itemOf(Object.values(item)[0] as AttributeMap | undefined),
    );
  return ['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation) ? [itemOf(body)] : [];
}

/**
 * How long a forwarded transaction's items count as ongoing: about what AWS takes to commit one
 * (tens of milliseconds). DynamoDB Local runs transactions one after another, so a transaction
 * may wait behind others for far longer before its answer; counting that wait made concurrent
 * orders on a busy machine refuse each other past their retries (500), which AWS would not do.
 * A write that arrives after the window is queued behind the transaction by DynamoDB Local, so
 * the outcome stays serial. A transaction held by a test (`ongoing: true`) stays ongoing while held.
 */
const COMMIT_MS = 50;

/**
 * AWS's answer to a write that names an item an ongoing transaction writes: a transaction is
 * cancelled, the conflicting items' reason `TransactionConflict` and the others' `None`; a
 * PutItem, UpdateItem or DeleteItem fails with TransactionConflictException. The SDK retries
 * neither (both are 400s); the functions do (functions/core/clients.ts).
 */
function conflictReply(operation: string, conflicts: boolean[]): Reply {
  const message = 'Transaction is ongoing for the item';
  if (operation !== 'TransactWriteItems')
    return jsonReply(400, {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionConflictException',
      message,
    });
  const codes = conflicts.map((conflict) => (conflict ? 'TransactionConflict' : 'None'));
  return jsonReply(400, {
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    CancellationReasons: codes.map((Code) => (Code === 'None' ? { Code } : { Code, Message: message })),
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
  });
}

/** What IAM evaluates for a DynamoDB request: one (action, resource) per table, index or item. */
function dynamoRequests(operation: string, body: Record<string, unknown>) {
  const table = (name: unknown) => (String(name).startsWith('arn:') ? String(name) : tableArn(String(name)));
  const each = (items: unknown, map: (item: Record<string, Record<string, unknown>>) => [string, unknown]) =>
    ((items as Record<string, Record<string, unknown>>[] | undefined) ?? []).map((item) => {
      const [action, tableName] = map(item);
      return { action: `dynamodb:${action}`, resource: table(tableName) };
    });
  switch (operation) {
    case 'Query':
    case 'Scan':
      return [
        {
          action: `dynamodb:${operation}`,
          resource: body.IndexName
            ? `${table(body.TableName)}/index/${String(body.IndexName)}`
            : table(body.TableName),
        },
      ];
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((body.RequestItems as object | undefined) ?? {}).map((name) => ({
        action: `dynamodb:${operation}`,
        resource: table(name),
      }));
    case 'TransactWriteItems':
      return each(body.TransactItems, (item) => {
        const [kind, detail] = Object.entries(item)[0] ?? ['?', {}];
        const action = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
        }[kind];
        return [action ?? kind, detail?.TableName];
      });
    case 'TransactGetItems':
      return each(body.TransactItems, (item) => ['GetItem', item.Get?.TableName]);
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', resource: '*' }];
    default:
      return [{ action: `dynamodb:${operation}`, resource: table(body.TableName) }];
  }
}

export class AwsGateway {
  readonly #options: AwsGatewayOptions;
  readonly #principals: Map<string, Principal>;
  readonly #listeners = new Set<(call: AwsCall) => void>();
  /** The latest calls IAM refused (newest last), for the local control endpoint and tests. */
  readonly denials: AwsCall[] = [];
  /** The latest calls (newest last), for tests that prove what a request read. */
  readonly calls: CallSummary[] = [];
  readonly #delays: Delay[] = [];
  /**
   * The items of the transactions forwarded and not yet answered (how many of each). DynamoDB
   * Local runs transactions one after another; AWS refuses a write to an item that an ongoing
   * transaction writes, and the gateway does the same (docs/local-fidelity.md).
   */
  readonly #ongoing = new Map<string, number>();
  /** Set by the bench: every DynamoDB call asks for its consumed capacity (billedUnits). */
  #capacity = false;

  constructor(options: AwsGatewayOptions) {
    this.#options = options;
    this.#principals = new Map(options.principals.map((p) => [p.accessKeyId, p]));
  }

  /**
   * Bench only: every DynamoDB request forwarded asks DynamoDB Local for its consumed capacity
   * (`ReturnConsumedCapacity: INDEXES`), so `billedUnits` can price it. The answer then carries
   * `ConsumedCapacity`, which the SDK ignores when it did not ask; tests never turn this on.
   */
  measureCapacity(on: boolean): void {
    this.#capacity = on;
  }

  delay(delay: Delay): void {
    this.#delays.push({ ...delay });
  }

  /** How many held or failed calls asked with this `contains` have not happened yet. */
  delaysLeft(contains: string): number {
    return this.#delays.filter((d) => d.contains === contains).reduce((sum, d) => sum + d.times, 0);
  }

  /** Holds a call a test asked to hold; answers its error if the test asked for one. */
  async #held(
    principal: Principal,
    service: string,
    operation: string,
    request: SignedRequest,
    /** DynamoDB: whether the call has reached the table; its parsed request; its own answer to a code. */
    dynamodb?: {
      ongoing: boolean;
      body: Record<string, unknown>;
      answer: (code: string) => Reply | undefined;
    },
  ): Promise<Reply | undefined> {
    const ongoing = dynamodb?.ongoing ?? false;
    const delay = this.#delays.find(
      (d) =>
        d.times > 0 &&
        d.operation === operation &&
        Boolean(d.ongoing) === ongoing &&
        principal.name.startsWith(d.caller) &&
        (d.contains === undefined || readable(request.body).includes(d.contains)),
    );
    if (!delay) return undefined;
    delay.times--;
    await new Promise((resolve) => setTimeout(resolve, delay.ms));
    if (!delay.fail) return undefined;
    const reply =
      dynamodb?.answer(delay.fail) ??
      serviceError(
        service,
        (service === 's3' ? S3_STATUS[delay.fail] : undefined) ?? (SERVER_ERRORS.has(delay.fail) ? 500 : 400),
        delay.fail,
        `${delay.fail} (injected by the local stack)`,
      );
    this.#record({
      principal: principal.name,
      service,
      operation,
      status: reply.status,
      ...(dynamodb ? { request: dynamodb.body } : {}),
    });
    return reply;
  }

  /** Every call, once answered (the bench counts requests per function with it). */
  onCall(listener: (call: AwsCall) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  createServer(): Server {
    return createServer((req, res) => {
      this.#handle(req)
        .then((reply) => send(res, reply))
        .catch((error: unknown) => {
          process.stderr.write(`[local] AWS endpoint error: ${(error as Error).stack ?? String(error)}\n`);
          if (!res.headersSent) send(res, jsonReply(500, { __type: 'InternalFailure', message: 'local' }));
        });
    });
  }

  async #handle(req: IncomingMessage): Promise<Reply> {
    const body = await readBody(req);
    if (body === 'too-large')
      return serviceError('s3', 413, 'EntityTooLarge', 'Your proposed upload is too large');
    const request: SignedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    };
    const { s3 } = this.#options;
    const isS3Path = s3.isBucketPath(request.url);
    if (request.method === 'OPTIONS' && isS3Path) return s3.preflight(request);

    const auth = parseSigV4(request);
    const target = single(req.headers['x-amz-target']) ?? '';
    const guessed = isS3Path ? 's3' : target.startsWith('DynamoDB') ? 'dynamodb' : 'ses';
    if (auth === undefined) {
      // A bucket that blocks public access answers anonymous requests with 403.
      return isS3Path
        ? s3Error(403, 'AccessDenied', 'Access Denied')
        : serviceError(guessed, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    if (auth === 'malformed') {
      return isS3Path
        ? s3Error(400, 'AuthorizationQueryParametersError', 'The request’s authentication is malformed.')
        : serviceError(guessed, 400, 'IncompleteSignatureException', 'The request signature is malformed.');
    }
    const service = auth.service;
    const signer = this.#principals.get(auth.accessKeyId);
    const named = this.#options.callerHeader && single(req.headers[this.#options.callerHeader]);
    const principal = signer && named ? { ...signer, name: named } : signer;
    if (!principal) {
      return service === 's3'
        ? s3Error(
            403,
            'InvalidAccessKeyId',
            'The AWS Access Key Id you provided does not exist in our records.',
          )
        : serviceError(
            service,
            400,
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          );
    }
    if (principal.sessionToken !== undefined && auth.securityToken !== principal.sessionToken) {
      return service === 's3'
        ? s3Error(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.')
        : serviceError(
            service,
            400,
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          );
    }
    const time = timeProblem(auth);
    if (time) {
      if (service === 's3') {
        return time === 'too-long'
          ? s3Error(
              400,
              'AuthorizationQueryParametersError',
              'X-Amz-Expires must be less than a week (in seconds) that is; 604800',
            )
          : s3Error(
              403,
              'AccessDenied',
              time === 'expired' ? 'Request has expired' : 'Request is not valid yet',
            );
      }
      return serviceError(service, 400, 'InvalidSignatureException', `Signature expired: ${auth.amzDate}`);
    }
    if (!signatureMatches(request, auth, principal.secretAccessKey)) {
      return service === 's3'
        ? s3Error(
            403,
            'SignatureDoesNotMatch',
            'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          )
        : serviceError(
            service,
            400,
            'InvalidSignatureException',
            'The request signature we calculated does not match the signature you provided.',
          );
    }
    if (payloadHashMismatch(request, auth)) {
      return service === 's3'
        ? s3Error(
            400,
            'XAmzContentSHA256Mismatch',
            'The provided x-amz-content-sha256 header does not match what was computed.',
          )
        : serviceError(
            service,
            400,
            'InvalidSignatureException',
            'The payload does not match its signed hash.',
          );
    }

    switch (service) {
      case 'dynamodb':
        return this.#dynamodb(principal, request, target);
      case 's3':
        return this.#s3(principal, request);
      case 'ses':
      case 'email':
        return this.#ses(principal, request);
      case 'states':
        return this.#states(principal, request, target);
      case 'cognito-idp':
        return this.#cognito(principal, request, target);
      case 'secretsmanager':
        return this.#secretsManager(principal, request, target);
      default:
        return serviceError(
          service,
          400,
          'UnknownServiceException',
          `The local stack does not emulate ${service}`,
        );
    }
  }

  #authorize(principal: Principal, requests: { action: string; resource: string }[]): Decision | undefined {
    return principal.policy?.firstDenied(requests);
  }

  #record(call: Omit<AwsCall, 'at'>): void {
    const full = { ...call, at: new Date().toISOString() };
    if (full.denied) {
      this.denials.push(full);
      if (this.denials.length > 200) this.denials.shift();
    }
    const { principal, service, operation, status, request, at } = full;
    this.calls.push({
      principal,
      service,
      operation,
      status,
      ...(request ? { request } : {}),
      itemsRead: itemsRead(full),
      at,
    });
    if (this.calls.length > 5000) this.calls.shift();
    for (const listener of this.#listeners) listener(full);
  }

  #denied(principal: Principal, service: string, operation: string, decision: Decision): Reply {
    const message = accessDeniedMessage(principal.arn, decision);
    this.#record({ principal: principal.name, service, operation, status: 403, denied: message });
    return service === 's3'
      ? s3Error(403, 'AccessDenied', message)
      : serviceError(
          service,
          service === 'ses' ? 403 : 400,
          service === 'ses' ? 'AccessDenied' : 'AccessDeniedException',
          message,
        );
  }

  async #dynamodb(principal: Principal, request: SignedRequest, target: string): Promise<Reply> {
    const operation = target.split('.')[1] ?? '';
    const body = parseJson(request.body);
    const denied = this.#authorize(principal, dynamoRequests(operation, body));
    if (denied) return this.#denied(principal, 'dynamodb', operation, denied);
    const written = writtenItems(operation, body, this.#options.tableKeys);
    // A test's injected conflict names every item the call writes.
    const answer = (code: string) =>
      code === 'TransactionConflict'
        ? conflictReply(
            operation,
            written.map(() => true),
          )
        : undefined;
    const failed = await this.#held(principal, 'dynamodb', operation, request, {
      ongoing: false,
      body,
      answer,
    });
    if (failed) return failed;
    const conflict = this.#conflict(operation, written);
    if (conflict) {
      this.#record({ principal: principal.name, service: 'dynamodb', operation, status: 400, request: body });
      return conflict;
    }
    const ongoing = operation === 'TransactWriteItems' ? written : [];
    for (const item of ongoing) this.#ongoing.set(item, (this.#ongoing.get(item) ?? 0) + 1);
    let committing: NodeJS.Timeout | undefined;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const item of ongoing) {
        const left = (this.#ongoing.get(item) ?? 1) - 1;
        if (left === 0) this.#ongoing.delete(item);
        else this.#ongoing.set(item, left);
      }
    };
    try {
      const failedOngoing = await this.#held(principal, 'dynamodb', operation, request, {
        ongoing: true,
        body,
        answer,
      });
      if (failedOngoing) return failedOngoing;
      const measured =
        this.#capacity && body && !body.ReturnConsumedCapacity && CAPACITY_OPERATIONS.has(operation)
          ? { ...request, body: Buffer.from(JSON.stringify({ ...body, ReturnConsumedCapacity: 'INDEXES' })) }
          : request;
      // Ongoing for as long as AWS commits one, not for DynamoDB Local's queue (see COMMIT_MS).
      if (ongoing.length > 0) committing = setTimeout(() => release(), COMMIT_MS);
      const forwarded = await forward(this.#options.backends.dynamodb, measured);
      const reply = operation === 'BatchGetItem' ? unordered(forwarded) : forwarded;
      this.#record({
        principal: principal.name,
        service: 'dynamodb',
        operation,
        status: reply.status,
        request: body,
        response: parseJson(reply.body),
      });
      return reply;
    } finally {
      clearTimeout(committing);
      release();
    }
  }

  /** AWS's answer to a write that names an item an ongoing transaction writes (conflictReply). */
  #conflict(operation: string, written: string[]): Reply | undefined {
    const conflicts = written.map((item) => this.#ongoing.has(item));
    return conflicts.includes(true) ? conflictReply(operation, conflicts) : undefined;
  }

  async #s3(principal: Principal, request: SignedRequest): Promise<Reply> {
    const { s3 } = this.#options;
    const op = s3.describe(request);
    if ('status' in op) return op as S3Response;
    const denied = this.#authorize(principal, [op]);
    if (denied) return this.#denied(principal, 's3', op.operation, denied);
    const failed = await this.#held(principal, 's3', op.operation, request);
    if (failed) return failed;
    const mayList = principal.policy?.allows('s3:ListBucket', `arn:aws:s3:::${op.bucket}`) ?? true;
    const reply = s3.execute(op, request, mayList);
    this.#record({ principal: principal.name, service: 's3', operation: op.operation, status: reply.status });
    return reply;
  }

  async #ses(principal: Principal, request: SignedRequest): Promise<Reply> {
    const params = new URLSearchParams(request.body.toString('utf8'));
    const operation = params.get('Action') ?? '';
    const { identities, configurationSets } = this.#options.mail;
    const source = params.get('Source') ?? '';
    const address = (/<([^>]+)>/.exec(source)?.[1] ?? source).trim().toLowerCase();
    const domain = address.split('@')[1] ?? '';
    const identity = identities.includes(address) ? address : domain;
    const configurationSet = params.get('ConfigurationSetName');
    const arn = (resource: string) => `arn:aws:ses:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
    const denied = this.#authorize(principal, [
      { action: `ses:${operation}`, resource: arn(`identity/${identity}`) },
      ...(configurationSet
        ? [{ action: `ses:${operation}`, resource: arn(`configuration-set/${configurationSet}`) }]
        : []),
    ]);
    if (denied) return this.#denied(principal, 'ses', operation, denied);
    const failed = await this.#held(principal, 'ses', operation, request);
    if (failed) return failed;
    if (operation === 'SendEmail' && !identities.includes(identity)) {
      return serviceError(
        'ses',
        400,
        'MessageRejected',
        `Email address is not verified. The following identities failed the check in region ${LOCAL_REGION.toUpperCase()}: ${source}`,
      );
    }
    if (configurationSet && !configurationSets.includes(configurationSet)) {
      return serviceError(
        'ses',
        400,
        'ConfigurationSetDoesNotExist',
        `Configuration set <${configurationSet}> does not exist.`,
      );
    }
    const reply = await forward(this.#options.backends.ses, request);
    this.#record({ principal: principal.name, service: 'ses', operation, status: reply.status });
    return reply;
  }

  async #states(principal: Principal, request: SignedRequest, target: string): Promise<Reply> {
    const operation = target.replace(/^AWSStepFunctions\./, '');
    const body = parseJson(request.body);
    const { stepFunctions } = this.#options;
    const resource = operation.startsWith('SendTask')
      ? stepFunctions.stateMachineOfTask(String(body.taskToken))
      : String(body.executionArn ?? body.stateMachineArn ?? '*');
    // An unknown task token names no state machine: the service answers it (TaskDoesNotExist).
    const denied = resource
      ? this.#authorize(principal, [{ action: `states:${operation}`, resource }])
      : undefined;
    if (denied) return this.#denied(principal, 'states', operation, denied);
    const failed = await this.#held(principal, 'states', operation, request);
    if (failed) return failed;
    let reply: Reply;
    try {
      reply = jsonReply(200, stepFunctions.handle(operation, body) ?? {});
    } catch (error) {
      const e = error as Error & { status?: number };
      reply = serviceError('states', 400, e.name, e.message);
    }
    this.#record({
      principal: principal.name,
      service: 'states',
      operation,
      status: reply.status,
      request: body,
    });
    return reply;
  }

  /** Secrets Manager: reading the template's secrets (GetSecretValue), by ARN or name. */
  #secretsManager(principal: Principal, request: SignedRequest, target: string): Reply {
    const operation = target.replace(/^secretsmanager\./, '');
    const body = parseJson(request.body);
    const id = String(body.SecretId ?? '');
    const secret = this.#options.secrets.find((s) => s.arn === id || s.name === id);
    const resource = secret?.arn ?? `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${id}`;
    const denied = this.#authorize(principal, [{ action: `secretsmanager:${operation}`, resource }]);
    if (denied) return this.#denied(principal, 'secretsmanager', operation, denied);
    let reply: Reply;
    if (operation !== 'GetSecretValue') {
      reply = serviceError(
        'secretsmanager',
        400,
        'UnknownOperationException',
        `${operation} is not emulated`,
      );
    } else if (!secret) {
      reply = serviceError(
        'secretsmanager',
        400,
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    } else {
      reply = jsonReply(
        200,
        {
          ARN: secret.arn,
          Name: secret.name,
          SecretString: secret.value,
          VersionId: '00000000-0000-4000-8000-000000000000',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.createdAt,
        },
        '1.1',
      );
    }
    this.#record({ principal: principal.name, service: 'secretsmanager', operation, status: reply.status });
    return reply;
  }

  async #cognito(principal: Principal, request: SignedRequest, target: string): Promise<Reply> {
    const operation = target.replace(/^AWSCognitoIdentityProviderService\./, '');
    const body = parseJson(request.body);
    const resource = body.UserPoolId ? userPoolArn(String(body.UserPoolId)) : '*';
    const denied = this.#authorize(principal, [{ action: `cognito-idp:${operation}`, resource }]);
    if (denied) return this.#denied(principal, 'cognito-idp', operation, denied);
    const failed = await this.#held(principal, 'cognito-idp', operation, request);
    if (failed) return failed;
    const reply = await forward(this.#options.backends.cognito, request);
    this.#record({ principal: principal.name, service: 'cognito-idp', operation, status: reply.status });
    return reply;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
  res.end(reply.body);
}

/**
 * BatchGetItem answers "in no particular order" (DynamoDB's API reference); DynamoDB Local
 * answers in the order asked. The items of each table are shuffled, so that code relying on
 * the order asked fails here as it would in AWS (docs/local-fidelity.md).
 */
function unordered(reply: Reply): Reply {
  if (reply.status !== 200) return reply;
  const body = parseJson(reply.body) as { Responses?: Record<string, unknown[]> };
  if (!body.Responses) return reply;
  for (const items of Object.values(body.Responses)) {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
  }
  const shuffled = Buffer.from(JSON.stringify(body));
  const headers = { ...reply.headers };
  if (headers['x-amz-crc32'] !== undefined) headers['x-amz-crc32'] = String(crc32(shuffled));
  return { ...reply, headers, body: shuffled };
}

/** Passes a verified request on to the emulator behind the endpoint. */
function forward(backend: string, request: SignedRequest): Promise<Reply> {
  const url = new URL(request.url, backend);
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(
      ([name]) => !['host', 'connection', 'content-length'].includes(name),
    ),
  ) as Record<string, string | string[]>;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: request.method,
        headers: { ...headers, 'content-length': String(request.body.length) },
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (
              value !== undefined &&
              !['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)
            )
              out[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: response.statusCode ?? 500, headers: out, body: Buffer.concat(chunks) });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
