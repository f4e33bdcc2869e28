import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { LinkToken } from '#core/schemas.ts';
import { resetPassword } from '#core/services/password-reset-completion.ts';

/** The user pool's policy (infra/constructs/identity.ts), checked before the token is spent. */
const Password = z
  .string()
  .check(
    z.minLength(12, 'At least 12 characters.'),
    z.maxLength(256),
    z.regex(/[a-z]/, 'At least one lower-case letter.'),
    z.regex(/[A-Z]/, 'At least one upper-case letter.'),
    z.regex(/[0-9]/, 'At least one digit.'),
    z.regex(/[^A-Za-z0-9]/, 'At least one symbol.'),
  );

/** POST /v1/password-resets/complete — set the new password with the link's token (R2). */
export const handler = route(
  {
    auth: false,
    problems: [404, 410],
    request: { body: z.strictObject({ token: LinkToken, password: Password }) },
  },
  async ({ body }) => {
    await resetPassword(body.token, body.password);
    return { status: 204 };
  },
);
