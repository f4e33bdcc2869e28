import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { requiredEnv } from '../config.ts';
import { PASSWORD_RESET_LINK_HOURS, RESET_COOLDOWN_MINUTES, RESETS_PER_DAY } from '../entities/user.ts';
import { formatDateTime } from '../formats.ts';
import { cognito, USER_POOL_ID } from '../identity.ts';
import { composeToken, hashSecret, newSecret } from '../ids.ts';
import { logger } from '../logger.ts';
import { sendEmail } from '../mail/mailer.ts';
import { getUserProfile, putPasswordReset, takeResetCooldown } from '../repositories/users.ts';
import { DEFAULT_LANGUAGE } from './me.ts';

/**
 * The workflow's step: a reset link to the login's recovery address (which may differ from the
 * login), if the login exists and its cooldown allows (≤ 1 e-mail per 15 min, ≤ 5 a day).
 * Cognito owns the password (password-reset-completion.ts).
 */
export async function sendPasswordReset(loginEmail: string, requestId: string): Promise<void> {
  const email = loginEmail.toLowerCase();
  const user = await cognito()
    .send(new AdminGetUserCommand({ UserPoolId: USER_POOL_ID, Username: email }))
    .catch((error: Error) => {
      if (error.name === 'UserNotFoundException') return undefined;
      throw error;
    });
  const userId = user?.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
  if (!user || !userId) {
    logger.info('password reset for an unknown login');
    return;
  }
  const now = new Date();
  if (
    !(await takeResetCooldown(userId, requestId, now, {
      minutes: RESET_COOLDOWN_MINUTES,
      perDay: RESETS_PER_DAY,
    }))
  ) {
    logger.info('password reset cooling down: no e-mail');
    return;
  }
  const profile = await getUserProfile(userId);
  const language = profile?.language ?? DEFAULT_LANGUAGE;
  const secret = newSecret();
  const tokenHash = hashSecret(secret);
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_LINK_HOURS * 3_600_000);
  await putPasswordReset(userId, email, tokenHash, expiresAt);
  await sendEmail({
    key: `password-reset:${userId}:${tokenHash.slice(0, 16)}`,
    to: profile?.recoveryEmail ?? email,
    template: 'passwordReset',
    language,
    data: { loginEmail: email, expiresAt: formatDateTime(expiresAt.toISOString(), language) },
    link: `${requiredEnv('CONSOLE_URL')}/password/reset?token=${composeToken(userId, secret)}`,
  });
}
