import { AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Gone } from '../errors.ts';
import { cognito, USER_POOL_ID } from '../identity.ts';
import { hashSecret, splitToken } from '../ids.ts';
import { consumePasswordReset } from '../repositories/users.ts';

/** R2: completes a reset — the link's token is consumed once and Cognito takes the new password. */
export async function resetPassword(token: string, password: string): Promise<void> {
  const [userId, secret] = splitToken(token, 2) as [string, string];
  const reset = await consumePasswordReset(userId, hashSecret(secret));
  if (!reset) throw new Gone('This link is no longer valid or has expired; ask for a new one.');
  await cognito().send(
    new AdminSetUserPasswordCommand({
      UserPoolId: USER_POOL_ID,
      Username: reset.loginEmail,
      Password: password,
      Permanent: true,
    }),
  );
}
