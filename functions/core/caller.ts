import type { UserProfile } from './entities/user.ts';

/** The signed-in user, as the API Gateway JWT authorizer vouches for them (R1). */
export interface Caller {
  /** Token subject: the user id. */
  userId: string;
  /** Cognito's user name (for admin calls); for an e-mail-identified pool, not the address. */
  username: string;
  /** The e-mail of an ID token that says it is verified; otherwise unknown (caller-email.ts). */
  email: string | undefined;
  /** Cognito groups; `staff` marks the provider's support and accounting people. */
  groups: string[];
}

/**
 * Where a use case gets the caller's verified e-mail when, and only if, it needs it; a use case
 * that has just read the caller's profile passes it, so that it is not read twice.
 */
export type EmailSource = (known?: { profile: UserProfile | undefined }) => Promise<string>;
