import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { EmailAddress } from '#core/schemas.ts';
import { requestPasswordReset } from '#core/services/password-reset.ts';

/** POST /v1/password-resets — "forgot password": a link goes to the recovery address (R2). */
export const handler = route(
  {
    auth: false,
    problems: [429],
    request: { body: z.strictObject({ email: EmailAddress }) },
  },
  async ({ body, event }) => {
    await requestPasswordReset(body.email, event.requestContext.http.sourceIp);
    return {
      status: 202,
      body: { detail: 'If this login exists, a reset link is on its way to its recovery address.' },
    };
  },
);
