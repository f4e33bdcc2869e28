import * as z from 'zod';

/**
 * A login's profile (R1, R5). The login itself (e-mail + password) lives in Cognito; this
 * item holds what the Manager remembers about the person.
 *
 * Keys: pk = USER#<userId>, sk = PROFILE.
 */
export const Language = z.enum(['it', 'en', 'fr', 'de']);
export type Language = z.infer<typeof Language>;

export interface UserProfile {
  userId: string;
  email: string;
  language: Language;
  /** The organization used last, remembered as a preference (R5). */
  currentOrganizationId: string | null;
  /** Where password-reset links go (R2); the login e-mail until the user confirms another. */
  recoveryEmail: string;
  /** Renewal reminders and other billing notices by e-mail (R25); on unless turned off. */
  billingNotices: boolean;
}

export const userKeys = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' });

/**
 * A pending change of recovery address (R2): pk = USER#<id>, sk = RECOVERY_CHANGE, with TTL.
 * A pending password reset: pk = USER#<id>, sk = PASSWORD_RESET, with TTL.
 */
export const recoveryChangeKeys = (userId: string) => ({ pk: `USER#${userId}`, sk: 'RECOVERY_CHANGE' });
export const passwordResetKeys = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PASSWORD_RESET' });

/** How long the links of R2 stay valid. */
export const RECOVERY_LINK_HOURS = 24;
export const PASSWORD_RESET_LINK_HOURS = 1;
