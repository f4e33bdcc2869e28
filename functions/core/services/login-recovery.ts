import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { requiredEnv } from '../config.ts';
import { PASSWORD_RESET_LINK_HOURS, RECOVERY_LINK_HOURS } from '../entities/user.ts';
import { Gone, ValidationFailed } from '../errors.ts';
import type { Caller } from '../http.ts';
import { composeToken, hashSecret, newSecret, secretMatches, splitToken } from '../ids.ts';
import { logger } from '../logger.ts';
import { sendEmail } from '../mail/mailer.ts';
import { formatDate } from '../mail/templates.ts';
import {
  confirmRecoveryChange,
  consumePasswordReset,
  getRecoveryChange,
  getUserProfile,
  putPasswordReset,
  putRecoveryChange,
} from '../repositories/users.ts';
import { DEFAULT_LANGUAGE, describeCaller } from './me.ts';

/**
 * R2: the recovery e-mail of a login, and "forgot password". Cognito owns the password; the
 * reset link goes to the recovery address (which may differ from the login), and completing the
 * reset sets the new password in Cognito.
 */
const CONSOLE_URL = requiredEnv('CONSOLE_URL');
const USER_POOL_ID = requiredEnv('USER_POOL_ID');
const cognito = /* @__PURE__ */ new CognitoIdentityProviderClient({});

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000);

/** Starts a change: a confirmation link goes to the new address; the old one stays in force. */
export async function requestRecoveryEmailChange(caller: Caller, newEmail: string) {
  const profile = await describeCaller(caller);
  const secret = newSecret();
  const expiresAt = hoursFromNow(RECOVERY_LINK_HOURS);
  const tokenHash = hashSecret(secret);
  await putRecoveryChange(caller.userId, newEmail.toLowerCase(), tokenHash, expiresAt, profile.email);
  await sendEmail({
    key: `recovery-change:${caller.userId}:${tokenHash.slice(0, 16)}`,
    to: newEmail,
    template: 'recoveryEmailConfirmation',
    language: profile.language,
    data: { loginEmail: profile.email, expiresAt: formatDate(expiresAt.toISOString(), profile.language) },
    link: `${CONSOLE_URL}/profile/recovery-email/confirm?token=${composeToken(caller.userId, secret)}`,
  });
  return { recoveryEmail: profile.recoveryEmail, pendingRecoveryEmail: newEmail.toLowerCase() };
}

const invalidToken = () =>
  new ValidationFailed([{ pointer: '/body/token', detail: 'Not a valid link token.' }]);

/** The link of the e-mail confirms the change; it works once and expires. */
export async function confirmRecoveryEmailChange(token: string): Promise<{ recoveryEmail: string }> {
  const parts = splitToken(token, 2);
  if (!parts) throw invalidToken();
  const [userId, secret] = parts as [string, string];
  const change = await getRecoveryChange(userId);
  if (!change || !secretMatches(secret, change.tokenHash)) throw new Gone('This link is no longer valid.');
  if (new Date(change.validUntil).getTime() <= Date.now()) throw new Gone('This link has expired.');
  if (!(await confirmRecoveryChange(userId, change.loginEmail, change.tokenHash, change.newEmail))) {
    throw new Gone('This link is no longer valid.');
  }
  return { recoveryEmail: change.newEmail };
}

/**
 * "Forgot password": a reset link goes to the login's recovery address. The answer is the same
 * whether the login exists or not, so the route tells nobody which addresses have a login.
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
  const expiresAt = hoursFromNow(PASSWORD_RESET_LINK_HOURS);
  await putPasswordReset(userId, email, tokenHash, expiresAt);
  await sendEmail({
    key: `password-reset:${userId}:${tokenHash.slice(0, 16)}`,
    to: profile?.recoveryEmail ?? email,
    template: 'passwordReset',
    language,
    data: { loginEmail: email, expiresAt: formatDate(expiresAt.toISOString(), language) },
    link: `${CONSOLE_URL}/password/reset?token=${composeToken(userId, secret)}`,
  });
}

/** Completes the reset: the token is consumed and Cognito takes the new password. */
export async function resetPassword(token: string, password: string): Promise<void> {
  const parts = splitToken(token, 2);
  if (!parts) throw invalidToken();
  const [userId, secret] = parts as [string, string];
  const reset = await consumePasswordReset(userId, hashSecret(secret));
  if (!reset) throw new Gone('This link is no longer valid or has expired; ask for a new one.');
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: USER_POOL_ID,
      Username: reset.loginEmail,
      Password: password,
      Permanent: true,
    }),
  );
}
