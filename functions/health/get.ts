import { route } from '#core/http.ts';

/** GET /v1/health — liveness of the API, no authentication, no I/O. */
export const handler = route({ auth: false }, async () => ({
  status: 200,
  body: { status: 'ok', service: 'manager', time: new Date().toISOString() },
}));
