import { Gone, ValidationFailed } from '../errors.ts';
import { secretMatches, splitToken } from '../ids.ts';
import { confirmRecoveryChange, getRecoveryChange } from '../repositories/users.ts';

export const invalidToken = () =>
  new ValidationFailed([{ pointer: '/body/token', detail: 'Not a valid link token.' }]);

/** R2: the link of the confirmation e-mail makes the new recovery address the one in force; it works once and expires. */
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
