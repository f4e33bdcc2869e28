import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Caller } from './caller.ts';
import {
  type FieldError,
  Forbidden,
  Unauthorized,
  UnsupportedMediaType,
  ValidationFailed,
} from './errors.ts';
import { logger } from './logger.ts';
import { publishMetrics } from './metrics.ts';
import { PARSE } from './parse-options.ts';
import type { AnyPathIds, PathIds } from './path-ids.ts';
import { problemResponse, toProblem } from './problem.ts';
import { withRequestContext } from './request-context.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

/** The parts of a request a route checks before its handler runs: its path's ids, zod schemas for the rest. */
export interface RequestSchemas {
  path?: AnyPathIds;
  query?: z.ZodMiniType;
  /** Checked against the headers, names in lower case. */
  headers?: z.ZodMiniType;
  body?: z.ZodMiniType;
}

type Parsed<S extends RequestSchemas, K extends keyof RequestSchemas> =
  S[K] extends PathIds<infer Id>
    ? Record<Id, string>
    : S[K] extends z.ZodMiniType
      ? z.output<S[K]>
      : undefined;

export interface Request<S extends RequestSchemas, A extends boolean> {
  path: Parsed<S, 'path'>;
  query: Parsed<S, 'query'>;
  headers: Parsed<S, 'headers'>;
  body: Parsed<S, 'body'>;
  caller: A extends true ? Caller : Caller | undefined;
  event: HttpEvent;
}

export interface Reply {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is (CSV); give its content-type in headers. */
  text?: string;
  headers?: Record<string, string>;
}

/**
 * What a route answers when it succeeds, for its contract (docs/openapi.json): a JSON body's
 * schema, `null` for no body, or another media type (CSV). Named in the route table
 * (infra/stacks/routes.ts), not here: no handler checks its answers at run time.
 */
export type Responses = Partial<Record<200 | 201 | 202 | 204, z.ZodMiniType | null | { mediaType: string }>>;

/**
 * A creating POST a client may retry: it takes an optional `Idempotency-Key` header and runs
 * once per (user, key) (functions/core/idempotency.ts, given by the route so that routes that
 * do not create carry none of it).
 */
export interface Idempotency {
  key: z.ZodMiniType<string>;
  once(userId: string, key: string, event: HttpEvent, run: () => Promise<Reply>): Promise<Reply>;
}

export interface RouteOptions<S extends RequestSchemas, A extends boolean> {
  /** true: the route sits behind the JWT authorizer and needs the caller. */
  auth: A;
  /** Staff-only route (support, accounting): the caller must be in the `staff` group. */
  staff?: boolean;
  request?: S;
  /** The problems the route answers beyond 400/401/403/404 (409, 410, 429…), for the contract. */
  problems?: number[];
  /** Signed-in routes only: retried with the same Idempotency-Key, it runs once. */
  idempotent?: A extends true ? Idempotency : never;
}

/** A route's options as its contract: what `infra/openapi.ts` writes into the OpenAPI document. */
export type RouteContract = RouteOptions<RequestSchemas, boolean>;

function issuesToFieldErrors(
  part: string,
  error: { issues: { path: PropertyKey[]; message: string }[] },
): FieldError[] {
  return error.issues.map((issue) => ({
    pointer: `/${[part, ...issue.path.map(String)].join('/')}`,
    detail: issue.message,
  }));
}

function readBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const contentType = event.headers['content-type'] ?? '';
  if (!/^application\/([a-z.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaType(`Expected content-type application/json, got '${contentType}'.`);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationFailed([{ pointer: '/body', detail: 'The body is not valid JSON.' }]);
  }
}

function parseRequest<S extends RequestSchemas>(schemas: S, event: HttpEvent, idempotency?: Idempotency) {
  const errors: FieldError[] = [];
  const parsePart = (part: keyof RequestSchemas, input: unknown): unknown => {
    const schema = schemas[part];
    if (!schema) return undefined;
    const result = schema.safeParse(input, PARSE);
    if (result.success) return result.data;
    errors.push(...issuesToFieldErrors(part, result.error));
    return undefined;
  };
  const path = parsePart('path', event.pathParameters ?? {});
  const query = parsePart('query', event.queryStringParameters ?? {});
  const headers = parsePart('headers', event.headers ?? {});
  const body = schemas.body ? parsePart('body', readBody(event)) : undefined;
  let key: string | undefined;
  const given = event.headers?.['idempotency-key'];
  if (idempotency && given !== undefined) {
    const parsed = idempotency.key.safeParse(given, PARSE);
    if (parsed.success) key = parsed.data;
    else errors.push(...issuesToFieldErrors('headers/idempotency-key', parsed.error));
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return {
    request: { path, query, headers, body } as Pick<
      Request<S, boolean>,
      'path' | 'query' | 'headers' | 'body'
    >,
    key,
  };
}

function callerOf(event: HttpEvent): Caller | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const email = claims?.email;
  // API Gateway hands claims over as strings; a token may carry a JSON boolean.
  const verified = claims?.email_verified === true || claims?.email_verified === 'true';
  const username = claims?.['cognito:username'] ?? claims?.username;
  return {
    userId: sub,
    username: typeof username === 'string' && username !== '' ? username : sub,
    email:
      claims?.token_use === 'id' && verified && typeof email === 'string' ? email.toLowerCase() : undefined,
    groups: groupsOf(claims?.['cognito:groups']),
  };
}

/** API Gateway hands a list claim over as one string, `[staff support]`. */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

function json(reply: Reply): HttpResponse {
  if (reply.text !== undefined)
    return { statusCode: reply.status, headers: reply.headers ?? {}, body: reply.text };
  if (reply.body === undefined) return { statusCode: reply.status, headers: reply.headers ?? {} };
  return {
    statusCode: reply.status,
    headers: { 'content-type': 'application/json', ...reply.headers },
    body: JSON.stringify(reply.body),
  };
}

/** Maps every error to an RFC 9457 problem; registered last so it sees every error first. */
const problemErrors = (): middy.MiddlewareObj<HttpEvent, HttpResponse> => ({
  onError: async (request) => {
    const problem = toProblem(request.error);
    if (problem.status >= 500) logger.error('request failed', { error: request.error as Error });
    request.response = problemResponse(problem);
  },
});

/**
 * A thin API handler: parse and validate → call the domain → shape the response.
 * `fn` receives typed, validated input; anything it throws becomes a problem response.
 */
export function route<S extends RequestSchemas = Record<never, never>, A extends boolean = true>(
  options: RouteOptions<S, A>,
  fn: (request: Request<S, A>) => Promise<Reply>,
) {
  const schemas = (options.request ?? {}) as S;
  const handler = middy<HttpEvent, HttpResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(publishMetrics())
    .use(httpHeaderNormalizer())
    .use(problemErrors())
    .handler(async (event) => {
      const caller = callerOf(event);
      if (options.auth && !caller) throw new Unauthorized('A valid bearer token is required.');
      if (options.staff && !caller?.groups.includes('staff')) throw new Forbidden('This is a staff route.');
      const { request, key } = parseRequest(schemas, event, options.idempotent);
      const run = () => fn({ ...request, caller: caller as Request<S, A>['caller'], event });
      const reply = await withRequestContext({ route: event.routeKey }, () =>
        options.idempotent && key && caller ? options.idempotent.once(caller.userId, key, event, run) : run(),
      );
      return json(reply);
    });
  return Object.assign(handler, { contract: options as RouteContract });
}
