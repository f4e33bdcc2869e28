import type { Caller, EmailSource } from '../caller.ts';
import { requiredEnv } from '../config.ts';
import { RECOVERY_LINK_HOURS } from '../entities/user.ts';
import { formatDateTime } from '../formats.ts';
import { composeToken, hashSecret, newSecret } from '../ids.ts';
import { sendEmail } from '../mail/mailer.ts';
import { putRecoveryChange } from '../repositories/users.ts';
import { describeCaller } from './me.ts';

const CONSOLE_URL = requiredEnv('CONSOLE_URL');

/**
 * R2: starts a change of the login's recovery e-mail — a confirmation link goes to the new
 * address; the old one stays in force until the link is used (recovery-email-confirmation.ts).
 */
export async function requestRecoveryEmailChange(caller: Caller, newEmail: string, emailOf: EmailSource) {
  const profile = await describeCaller(caller, emailOf);
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + RECOVERY_LINK_HOURS * 3_600_000);
  const tokenHash = hashSecret(secret);
  await putRecoveryChange(caller.userId, newEmail.toLowerCase(), tokenHash, expiresAt, profile.email);
  await sendEmail({
    key: `recovery-change:${caller.userId}:${tokenHash.slice(0, 16)}`,
    to: newEmail,
    template: 'recoveryEmailConfirmation',
    language: profile.language,
    data: { loginEmail: profile.email, expiresAt: formatDateTime(expiresAt.toISOString(), profile.language) },
    link: `${CONSOLE_URL}/profile/recovery-email/confirm?token=${composeToken(caller.userId, secret)}`,
  });
  return { recoveryEmail: profile.recoveryEmail, pendingRecoveryEmail: newEmail.toLowerCase() };
}
