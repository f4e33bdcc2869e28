import { requiredEnv } from '../config.ts';
import { TooManyRequests } from '../errors.ts';
import { newId } from '../ids.ts';
import { takeAllowance } from '../repositories/limits.ts';
import { startWorkflow } from '../workflows.ts';

/**
 * R2, "forgot password", as the public route answers it. The answer must not tell which
 * addresses have a login — neither by its words nor by its time — so the route makes the same
 * two calls whatever the address: it counts the client's requests (a per-client throttle) and
 * starts the PasswordReset workflow, which decides the rest after the answer (issue 13).
 */
export async function requestPasswordReset(loginEmail: string, clientAddress: string): Promise<void> {
  const now = new Date();
  const allowed = await takeAllowance({
    name: 'reset-client',
    subject: clientAddress,
    window: now.toISOString().slice(0, 16),
    max: Number(requiredEnv('RESETS_PER_CLIENT_PER_MINUTE')),
    expiresAt: new Date(now.getTime() + 3_600_000),
  });
  if (!allowed)
    throw new TooManyRequests('Too many password resets from this address; try again in a minute.', 60);
  const requestId = newId();
  await startWorkflow(requiredEnv('PASSWORD_RESET_WORKFLOW_ARN'), requestId, {
    email: loginEmail.toLowerCase(),
    requestId,
  });
}
