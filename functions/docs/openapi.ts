import { route } from '#core/http.ts';
import document from '../../docs/openapi.json' with { type: 'json' };

/** GET /v1/openapi.json — the API's contract, OpenAPI 3.1 (public: it is what client developers read). */
export const handler = route(
  {
    auth: false,
  },
  async () => ({ status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } }),
);
