import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Caller, EmailSource } from './caller.ts';
import type { UserProfile } from './entities/user.ts';
import { Forbidden } from './errors.ts';
import { cognito, USER_POOL_ID } from './identity.ts';
import { getUserProfile } from './repositories/users.ts';

/**
 * The caller's e-mail address from a verified source only (R1, R9; issue 13): an ID token whose
 * `email_verified` is true (already in `caller.email`), else the address stored on first sight,
 * else the Cognito user itself — whose `email` attribute the pool keeps at the verified address
 * until a new one is verified. An access token (no e-mail claim) gives the same answer as an ID
 * token. Never "": a login without a verified address is refused. Only routes granted
 * `cognito-idp:AdminGetUser` import this module.
 */
export async function verifiedEmailOf(
  caller: Caller,
  known?: { profile: UserProfile | undefined },
): Promise<string> {
  if (caller.email) return caller.email;
  const stored = (known ? known.profile : await getUserProfile(caller.userId))?.email;
  if (stored) return stored;
  const user = await cognito()
    .send(new AdminGetUserCommand({ UserPoolId: USER_POOL_ID, Username: caller.username }))
    .catch((error: Error) => {
      if (error.name === 'UserNotFoundException') return undefined;
      throw error;
    });
  const attribute = (name: string) => user?.UserAttributes?.find((a) => a.Name === name)?.Value;
  const email = attribute('email');
  if (email && attribute('email_verified') === 'true') return email.toLowerCase();
  throw new Forbidden('Your login has no verified e-mail address yet: verify it, then try again.');
}

/** The same lookup, deferred until a use case needs the address (most calls never do). */
export const emailSource =
  (caller: Caller): EmailSource =>
  (known) =>
    verifiedEmailOf(caller, known);
