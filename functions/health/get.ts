import { route } from '#core/http.ts';
import { Health } from '#core/responses.ts';

/** GET /v1/health — liveness of the API, no authentication, no I/O. */
export const handler = route({ auth: false, responses: { 200: Health } }, async () => ({
  status: 200,
  body: { status: 'ok', service: 'manager', time: new Date().toISOString() },
}));
