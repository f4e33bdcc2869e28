import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { LinkToken } from '#core/schemas.ts';
import { confirmRecoveryEmailChange } from '#core/services/recovery-email-confirmation.ts';

/** POST /v1/recovery-email/confirmations — the link of the confirmation e-mail (R2). Public: the token is the proof. */
export const handler = route(
  {
    auth: false,
    problems: [404, 410],
    request: { body: z.strictObject({ token: LinkToken }) },
  },
  async ({ body }) => ({ status: 200, body: await confirmRecoveryEmailChange(body.token) }),
);
