import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { FunctionRunner } from './lambdas.ts';
import type { CorsRule, LocalDescription, LocalRoute } from './template.ts';

export interface JwtAuthorizerConfig {
  issuer: string;
  audience: string[];
  jwksUrl: string;
}

interface CompiledRoute extends LocalRoute {
  pattern: RegExp;
  params: string[];
}

function compile(route: LocalRoute): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        params.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        params.push(param[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), params };
}

/** Route selection as API Gateway does it: literal paths beat parameterised ones. */
function specificity(route: CompiledRoute): number {
  return route.path.split('/').filter((s) => !s.startsWith('{')).length;
}

const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|x-www-form-urlencoded|javascript))/i;
/** HTTP API quotas: 10 MB request payload, 30 s integration timeout. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
export const INTEGRATION_TIMEOUT_MS = 30_000;

class IntegrationTimeout extends Error {}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
}

function corsHeaders(cors: CorsRule | undefined, origin: string | undefined): Record<string, string> {
  if (!cors || !origin || !cors.allowedOrigins.some((o) => o === '*' || o === origin)) return {};
  return {
    'access-control-allow-origin': origin,
    vary: 'origin',
    ...(cors.exposedHeaders?.length
      ? { 'access-control-expose-headers': cors.exposedHeaders.join(',') }
      : {}),
  };
}

/**
 * The local HTTP front: routes requests as the HTTP API does, checks bearer tokens as its JWT
 * authorizer does (signature through the issuer's JWKS, issuer, expiry, audience or client_id),
 * answers CORS preflights from the API's CORS configuration, applies the HTTP API's quotas
 * (10 MB request, 30 s integration timeout) and calls the integrated function with an API
 * Gateway payload v2.0 event. A function that fails answers 500, as API Gateway does.
 */
export function createApiFront(
  described: Pick<LocalDescription, 'routes' | 'apiCors'>,
  lambdas: Pick<FunctionRunner, 'invoke'>,
  authorizer: JwtAuthorizerConfig,
  options: { integrationTimeoutMs?: number } = {},
) {
  const integrationTimeoutMs = options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const cors = described.apiCors;
  const compiled = described.routes.map(compile).sort((a, b) => specificity(b) - specificity(a));
  const jwks = createRemoteJWKSet(new URL(authorizer.jwksUrl));
  // A route's own throttle, as API Gateway applies it: a token bucket per route of the stage.
  const buckets = new Map<string, { tokens: number; at: number }>();
  function throttled(route: LocalRoute): boolean {
    if (!route.throttle) return false;
    const key = `${route.method} ${route.path}`;
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: route.throttle.burstLimit, at: now };
    bucket.tokens = Math.min(
      route.throttle.burstLimit,
      bucket.tokens + ((now - bucket.at) / 1000) * route.throttle.rateLimit,
    );
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  }

  async function authorize(header: string | undefined): Promise<JWTPayload | undefined> {
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: authorizer.issuer });
      const audiences = [payload.aud, payload.client_id]
        .flat()
        .filter((a): a is string => typeof a === 'string');
      return audiences.some((a) => authorizer.audience.includes(a)) ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const allowed = corsHeaders(cors, headers.origin);
    if (method === 'OPTIONS' && cors && headers.origin && headers['access-control-request-method']) {
      // API Gateway answers preflights itself, without calling any function.
      res.writeHead(204, {
        ...allowed,
        ...(Object.keys(allowed).length
          ? {
              'access-control-allow-methods': cors.allowedMethods.join(','),
              'access-control-allow-headers': cors.allowedHeaders.join(','),
              ...(cors.maxAge === undefined ? {} : { 'access-control-max-age': String(cors.maxAge) }),
            }
          : {}),
      });
      res.end();
      return;
    }
    const candidates = compiled.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === method || r.method === 'ANY');
    if (!route) return reply(res, 404, 'Not Found');
    if (throttled(route)) return reply(res, 429, 'Too Many Requests');

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk as Buffer);
    }
    if (size > MAX_REQUEST_BYTES) return reply(res, 413, 'Request Entity Too Large');
    const raw = Buffer.concat(chunks);

    let claims: JWTPayload | undefined;
    if (route.auth) {
      claims = await authorize(headers.authorization);
      if (!claims) return reply(res, 401, 'Unauthorized');
    }
    const isText = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain');
    const match = route.pattern.exec(url.pathname) ?? [];
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(
        route.params.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
      );
    } catch {
      return reply(res, 400, 'Bad Request');
    }
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams)
      query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
    const now = new Date();
    const routeKey = `${route.method} ${route.path}`;

    const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(headers.cookie ? { cookies: headers.cookie.split(/;\s*/) } : {}),
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(route.params.length ? { pathParameters } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        // API Gateway hands claims over as strings, lists as `[a b]`.
        authorizer: {
          principalId: '',
          integrationLatency: 0,
          jwt: {
            claims: Object.fromEntries(
              Object.entries(claims ?? {}).map(([k, v]) => [
                k,
                typeof v === 'string' ? v : Array.isArray(v) ? `[${v.join(' ')}]` : JSON.stringify(v),
              ]),
            ),
            scopes: [],
          },
        },
      },
      ...(raw.length ? { body: isText ? raw.toString('utf8') : raw.toString('base64') } : {}),
      isBase64Encoded: raw.length > 0 && !isText,
    };

    let result: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      result = await Promise.race([
        lambdas.invoke(route.functionId, event),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new IntegrationTimeout()), integrationTimeoutMs);
        }),
      ]);
    } catch (error) {
      if (error instanceof IntegrationTimeout) return reply(res, 503, 'Service Unavailable');
      process.stderr.write(
        `[local] ${routeKey} failed: ${(error as Error).name}: ${(error as Error).message}\n`,
      );
      return reply(res, 500, 'Internal Server Error');
    } finally {
      clearTimeout(timer);
    }
    const response: APIGatewayProxyStructuredResultV2 =
      typeof result === 'object' && result !== null && 'statusCode' in result
        ? (result as APIGatewayProxyStructuredResultV2)
        : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
    if (typeof response.statusCode !== 'number' && response.statusCode !== undefined) {
      return reply(res, 500, 'Internal Server Error');
    }
    const outHeaders: Record<string, string | string[]> = { ...allowed };
    for (const [k, v] of Object.entries(response.headers ?? {})) outHeaders[k] = String(v);
    if (response.cookies?.length) outHeaders['set-cookie'] = response.cookies;
    const body = response.body
      ? Buffer.from(response.body, response.isBase64Encoded ? 'base64' : 'utf8')
      : Buffer.alloc(0);
    res.writeHead(response.statusCode ?? 200, outHeaders).end(body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`[local] API front error: ${String(error)}\n`);
      if (!res.headersSent) reply(res, 500, 'Internal Server Error');
    });
  });
  return server;
}
