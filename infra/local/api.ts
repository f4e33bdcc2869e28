import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { LocalLambdas } from './lambdas.ts';
import type { LocalRoute } from './template.ts';

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

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
}

/**
 * The local HTTP front: routes requests as the HTTP API does, checks bearer tokens as its JWT
 * authorizer does (signature through the issuer's JWKS, issuer, expiry, audience or client_id),
 * and calls the integrated function with an API Gateway payload v2.0 event.
 */
export function createApiFront(routes: LocalRoute[], lambdas: LocalLambdas, authorizer: JwtAuthorizerConfig) {
  const compiled = routes.map(compile).sort((a, b) => specificity(b) - specificity(a));
  const jwks = createRemoteJWKSet(new URL(authorizer.jwksUrl));

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
    const candidates = compiled.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === method || r.method === 'ANY');
    if (!route) return reply(res, 404, 'Not Found');

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    let claims: JWTPayload | undefined;
    if (route.auth) {
      claims = await authorize(headers.authorization);
      if (!claims) return reply(res, 401, 'Unauthorized');
    }

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const isText = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain');
    const match = route.pattern.exec(url.pathname) ?? [];
    const pathParameters = Object.fromEntries(
      route.params.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
    );
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
    try {
      result = await lambdas.invoke(route.functionId, event);
    } catch (error) {
      process.stderr.write(`[local] ${routeKey} failed: ${(error as Error).stack ?? String(error)}\n`);
      return reply(res, 500, 'Internal Server Error');
    }
    const response: APIGatewayProxyStructuredResultV2 =
      typeof result === 'object' && result !== null && 'statusCode' in result
        ? (result as APIGatewayProxyStructuredResultV2)
        : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
    const outHeaders: Record<string, string | string[]> = {};
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
