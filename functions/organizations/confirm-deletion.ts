import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { LinkToken } from '#core/schemas.ts';
import { confirmDeletion } from '#core/services/deletion.ts';

/** POST /v1/account-deletions/confirmations — the confirmation link of R28; the token is the proof. */
export const handler = route(
  {
    auth: false,
    problems: [404, 409, 410],
    request: { body: z.strictObject({ token: LinkToken }) },
  },
  async ({ body }) => ({ status: 200, body: await confirmDeletion(body.token) }),
);
