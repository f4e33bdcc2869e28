import * as z from 'zod/mini';
import { emailSource } from '#core/caller-email.ts';
import { route } from '#core/http.ts';
import { EmailAddress } from '#core/schemas.ts';
import { requestRecoveryEmailChange } from '#core/services/recovery-email.ts';

/** PUT /v1/me/recovery-email — start a change; the new address confirms it by link (R2). */
export const handler = route(
  {
    auth: true,
    request: { body: z.strictObject({ email: EmailAddress }) },
  },
  async ({ caller, body }) => ({
    status: 202,
    body: await requestRecoveryEmailChange(caller, body.email, emailSource(caller)),
  }),
);
