import { Gone } from '../errors.ts';
import { secretMatches, splitToken } from '../ids.ts';
import { confirmRecoveryChange, getRecoveryChange } from '../repositories/users.ts';

/** R2: the link of the confirmation e-mail makes the new recovery address the one in force; it works once and expires. */
export async function confirmRecoveryEmailChange(token: string): Promise<{ recoveryEmail: string }> {
  const [userId, secret] = splitToken(token, 2) as [string, string];
  const change = await getRecoveryChange(userId);
  if (!change || !secretMatches(secret, change.tokenHash)) throw new Gone('This link is no longer valid.');
  if (new Date(change.validUntil).getTime() <= Date.now()) throw new Gone('This link has expired.');
  if (!(await confirmRecoveryChange(userId, change.loginEmail, change.tokenHash, change.newEmail))) {
    throw new Gone('This link is no longer valid.');
  }
  return { recoveryEmail: change.newEmail };
}
