import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { requiredEnv } from '../config.ts';
import { PASSWORD_RESET_LINK_HOURS } from '../entities/user.ts';
import { formatDateTime } from '../formats.ts';
import { cognito, USER_POOL_ID } from '../identity.ts';
import { composeToken, hashSecret, newSecret } from '../ids.ts';
import { logger } from '../logger.ts';
import { sendEmail } from '../mail/mailer.ts';
import { getUserProfile, putPasswordReset } from '../repositories/users.ts';
import { DEFAULT_LANGUAGE } from './me.ts';

const CONSOLE_URL = requiredEnv('CONSOLE_URL');

/**
 * R2, "forgot password": a reset link goes to the login's recovery address (which may differ
 * from the login). The answer is the same whether the login exists or not, so the route tells
 * nobody which addresses have a login. Cognito owns the password (password-reset-completion.ts).
 */
export async function forgotPassword(loginEmail: string): Promise<void> {
  const email = loginEmail.toLowerCase();
  const user = await cognito
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
  const profile = await getUserProfile(userId);
  const language = profile?.language ?? DEFAULT_LANGUAGE;
  const secret = newSecret();
  const tokenHash = hashSecret(secret);
  const expiresAt = new Date(Date.now() + PASSWORD_RESET_LINK_HOURS * 3_600_000);
  await putPasswordReset(userId, email, tokenHash, expiresAt);
  await sendEmail({
    key: `password-reset:${userId}:${tokenHash.slice(0, 16)}`,
    to: profile?.recoveryEmail ?? email,
    template: 'passwordReset',
    language,
    data: { loginEmail: email, expiresAt: formatDateTime(expiresAt.toISOString(), language) },
    link: `${CONSOLE_URL}/password/reset?token=${composeToken(userId, secret)}`,
  });
}
