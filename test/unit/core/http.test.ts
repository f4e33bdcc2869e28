import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { Conflict, Forbidden, NotFound, PreconditionFailed } from '../../../functions/core/errors.ts';
import { type HttpEvent, route } from '../../../functions/core/http.ts';
import { ProductPath } from '../../../functions/core/path-ids.ts';

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-2:000000000000:function:test',
  memoryLimitInMB: '128',
  getRemainingTimeInMillis: () => 1000,
} as Context;

function event(overrides: Partial<HttpEvent> & { sub?: string } = {}): HttpEvent {
  const { sub = 'user-1', ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'POST /v1/things/{id}',
    rawPath: '/v1/things/1',
    rawQueryString: '',
    headers: { 'Content-Type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {
      authorizer: {
        jwt: { claims: sub ? { sub, email: 'a@example.com' } : {}, scopes: [] },
        principalId: '',
        integrationLatency: 0,
      },
      http: {
        method: 'POST',
        path: '/v1/things/1',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
    },
    ...rest,
  } as HttpEvent;
}

const ORG = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
const PRODUCT = '01J00000000000000000000001';

const thing = route(
  {
    auth: true,
    request: {
      path: ProductPath,
      query: z.strictObject({ limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(100))) }),
      body: z.strictObject({ name: z.string().check(z.minLength(1)), quantity: z.int().check(z.positive()) }),
    },
  },
  async ({ path, query, body, caller }) => ({
    status: 201,
    body: { id: path.productId, limit: query.limit ?? null, ...body, by: caller.userId },
  }),
);

const call = async (e: HttpEvent) => {
  const response = await thing(e, context);
  return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
};

describe('route(): validated input', () => {
  it('hands typed path, query, body and caller to the domain and returns its reply as JSON', async () => {
    const response = await call(
      event({
        pathParameters: { orgId: ORG, productId: PRODUCT },
        queryStringParameters: { limit: '5' },
        body: JSON.stringify({ name: 'Bolt', quantity: 3 }),
      }),
    );

    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(response.json).toEqual({ id: PRODUCT, limit: 5, name: 'Bolt', quantity: 3, by: 'user-1' });
  });

  it('reports every invalid field at once, with JSON pointers into path, query and body', async () => {
    const response = await call(
      event({
        pathParameters: { orgId: ORG, productId: 'abc' },
        queryStringParameters: { limit: '0', extra: '1' },
        body: JSON.stringify({ name: '', quantity: 1.5 }),
      }),
    );

    expect(response.statusCode).toBe(400);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(response.json.type).toBe('/problems/validation-failed');
    expect(response.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/name',
      '/body/quantity',
      '/path/productId',
      '/query',
      '/query/limit',
    ]);
    // zod's own English words (zod/mini loads no language unless told: parse-options.ts).
    expect(response.json.errors).toContainEqual({
      pointer: '/body/name',
      detail: 'Too small: expected string to have >=1 characters',
    });
  });

  it('accepts a base64-encoded JSON body, as API Gateway sends binary-flagged bodies', async () => {
    const response = await call(
      event({
        pathParameters: { orgId: ORG, productId: PRODUCT },
        isBase64Encoded: true,
        body: Buffer.from(JSON.stringify({ name: 'B', quantity: 1 })).toString('base64'),
      }),
    );

    expect(response.statusCode).toBe(201);
  });

  it('refuses a missing body of a route that declares one', async () => {
    const response = await call(event({ pathParameters: { orgId: ORG, productId: PRODUCT } }));

    expect(response.statusCode).toBe(400);
    expect(response.json.errors).toEqual([expect.objectContaining({ pointer: '/body' })]);
  });

  it('answers 401 when the authorizer passed no subject', async () => {
    const response = await call(
      event({ sub: '', pathParameters: { orgId: ORG, productId: PRODUCT }, body: '{}' }),
    );

    expect(response.statusCode).toBe(401);
    expect(response.json).toMatchObject({ type: '/problems/unauthorized', status: 401 });
  });
});

describe('route(): errors become RFC 9457 problems in one place', () => {
  const failing = (error: unknown) => route({ auth: false }, async () => Promise.reject(error));

  it.each([
    [new NotFound('No organization 42.'), 404, '/problems/not-found'],
    [new Forbidden('Admins only.'), 403, '/problems/forbidden'],
    [new Conflict('Already accepted.'), 409, '/problems/conflict'],
  ])('maps %s to its status and type, with the message as detail', async (error, status, type) => {
    const response = await failing(error)(event(), context);

    expect(response.statusCode).toBe(status);
    expect(JSON.parse(String(response.body))).toEqual({
      type,
      title: expect.any(String),
      status,
      detail: (error as Error).message,
    });
  });

  it('lists the unmet requirements of a precondition failure (R27)', async () => {
    const unmet = [
      { code: 'products-not-terminated', detail: '1 product is not terminated.' },
      { code: 'prepaid-balance', detail: 'CHF 5.00 is left on the prepaid balance.' },
    ];
    const response = await failing(new PreconditionFailed(unmet))(event(), context);

    expect(response.statusCode).toBe(409);
    expect(JSON.parse(String(response.body))).toMatchObject({ type: '/problems/precondition-failed', unmet });
  });

  it('answers an unexpected error with a 500 that reveals nothing of it', async () => {
    const response = await failing(new Error('ConditionalCheckFailed on table secret-name'))(
      event(),
      context,
    );

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret-name');
    expect(JSON.parse(String(response.body))).toMatchObject({ type: '/problems/internal', status: 500 });
  });
});
