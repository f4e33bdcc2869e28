import { describe, expect, it } from 'vitest';
import { api } from '../helpers.ts';

describe('GET /v1/health', () => {
  it('answers without a token that the service is up', async () => {
    const response = await api('GET', '/v1/health');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body).toMatchObject({ status: 'ok', service: 'manager' });
  });

  it('answers 404 for a path no route declares, as API Gateway does', async () => {
    const response = await api('GET', '/v1/nothing-here');

    expect(response.status).toBe(404);
  });

  it('answers 404 for a method the route does not declare', async () => {
    const response = await api('DELETE', '/v1/health');

    expect(response.status).toBe(404);
  });
});

describe('GET /v1/openapi.json', () => {
  it('serves the API’s contract to anyone, the same document as docs/openapi.json', async () => {
    const { readFileSync } = await import('node:fs');
    const committed = JSON.parse(
      readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'),
    );

    const response = await api('GET', '/v1/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body).toEqual(committed);
    expect((response.body as { openapi: string }).openapi).toBe('3.1.0');
  });
});
