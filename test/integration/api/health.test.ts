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
