import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFront, MAX_REQUEST_BYTES } from '../../../infra/local/api.ts';
import { listen } from '../../../infra/local/process.ts';
import { startFixture } from '../../fixtures/workflow/local.ts';

/**
 * The local HTTP front applies the HTTP API's own behaviour (issue 9): its 10 MB request and
 * 30 s integration quotas (shortened here), a failed function as 500, CORS from the API's
 * configuration — over the fixture functions.
 */
let fixture: Awaited<ReturnType<typeof startFixture>>;
let server: Server;
let url: string;
const CONSOLE = 'http://console.test';

beforeAll(async () => {
  fixture = await startFixture();
  server = createApiFront(
    {
      routes: [
        { method: 'GET', path: '/sleep', auth: false, functionId: fixture.idOf('Sleepy') },
        { method: 'POST', path: '/sleep/{name}', auth: false, functionId: fixture.idOf('Sleepy') },
        {
          method: 'GET',
          path: '/throttled',
          auth: false,
          functionId: fixture.idOf('Sleepy'),
          throttle: { rateLimit: 0.01, burstLimit: 2 },
        },
      ],
      apiCors: {
        allowedOrigins: [CONSOLE],
        allowedMethods: ['*'],
        allowedHeaders: ['content-type'],
        exposedHeaders: ['retry-after'],
        maxAge: 600,
      },
    },
    fixture.lambdas,
    { issuer: 'http://127.0.0.1:9', audience: [], jwksUrl: 'http://127.0.0.1:9/jwks' },
    { integrationTimeoutMs: 700 },
  );
  url = `http://127.0.0.1:${await listen(server)}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await fixture.stop();
});

const invocations = () => fixture.lambdas.totals.invocations;

describe('the local HTTP front', () => {
  it('answers a request over 10 MB with 413 and calls no function', async () => {
    const before = invocations();

    const response = await fetch(`${url}/sleep/x`, {
      method: 'POST',
      body: 'x'.repeat(MAX_REQUEST_BYTES + 1),
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(invocations()).toBe(before);
  });

  it('throttles a route with its own stage setting as API Gateway does: 429 past the burst, no call', async () => {
    const first = await fetch(`${url}/throttled?ms=1`);
    const second = await fetch(`${url}/throttled?ms=1`);
    const before = invocations();
    const third = await fetch(`${url}/throttled?ms=1`);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({ message: 'Too Many Requests' });
    expect(invocations()).toBe(before);
  });

  it('answers 400 for a malformed %-escape in a path parameter, and calls no function', async () => {
    const before = invocations();

    const response = await fetch(`${url}/sleep/%E0%A4%A`, { method: 'POST' });

    expect(response.status).toBe(400);
    expect(invocations()).toBe(before);
  });

  it('answers 503 when the integration takes longer than its timeout', async () => {
    const response = await fetch(`${url}/sleep?ms=900`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 500 when the function fails (here: its own timeout) and says nothing more', async () => {
    const slow = createApiFront(
      {
        routes: [{ method: 'GET', path: '/sleep', auth: false, functionId: fixture.idOf('Sleepy') }],
        apiCors: undefined,
      },
      fixture.lambdas,
      { issuer: 'x', audience: [], jwksUrl: 'http://127.0.0.1:9/jwks' },
    );
    const port = await listen(slow);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/sleep?ms=1500`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    } finally {
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('answers CORS preflights from the API’s configuration, without calling a function', async () => {
    const before = invocations();
    const preflight = (origin: string) =>
      fetch(`${url}/sleep`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'content-type',
        },
      });

    const allowed = await preflight(CONSOLE);
    const other = await preflight('https://attacker.test');

    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(allowed.headers.get('access-control-max-age')).toBe('600');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(invocations()).toBe(before);
    const answer = await fetch(`${url}/sleep?ms=1`, { headers: { origin: CONSOLE } });
    expect(answer.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(answer.headers.get('access-control-expose-headers')).toBe('retry-after');
  });

  it('answers 400 to a path with a malformed %-escape', async () => {
    const response = await fetch(`${url}/sleep/%E0%A4%A`, { method: 'POST' });

    expect(response.status).toBe(400);
  });
});
