import * as z from 'zod/mini';
import { sendPasswordReset } from '#core/services/password-reset-mail.ts';
import { task } from '../../task.ts';

/** State SendPasswordReset (R2): the reset link to the recovery address, if the login exists and is not cooling down. */
export const handler = task(
  z.object({ email: z.email(), requestId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  (input) => sendPasswordReset(input.email, input.requestId),
);
