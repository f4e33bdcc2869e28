import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.d.ts';

export type { components, operations, paths } from './schema.d.ts';

/**
 * A typed client of the Manager API: paths, parameters, bodies and answers come from
 * docs/openapi.json (`npm run openapi` regenerates schema.d.ts), so a call the contract does not
 * allow does not compile. Built on openapi-fetch: `client.GET('/v1/me')` gives `{ data, error,
 * response }`, `data` typed by the route's success answer and `error` as a problem.
 */
export function managerClient(options: {
  baseUrl: string;
  /** A Cognito ID or access token; leave out for the public routes. */
  token?: string;
  middleware?: Middleware[];
}) {
  const client = createClient<paths>({ baseUrl: options.baseUrl });
  const { token } = options;
  if (token) {
    client.use({
      onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  for (const middleware of options.middleware ?? []) client.use(middleware);
  return client;
}

export type ManagerClient = ReturnType<typeof managerClient>;
