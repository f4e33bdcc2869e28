import * as z from 'zod/mini';
import { emailSource } from '#core/caller-email.ts';
import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { LinkToken } from '#core/schemas.ts';
import { accept } from '#core/services/invitations.ts';

/** POST /v1/invitations/acceptances — the signed-in invitee accepts with the e-mail link's token (R9). */
export const handler = route(
  {
    auth: true,
    idempotent,
    problems: [409, 410],
    request: { body: z.strictObject({ token: LinkToken }) },
  },
  async ({ caller, body }) => ({ status: 200, body: await accept(caller, body.token, emailSource(caller)) }),
);
