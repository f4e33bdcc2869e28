import { z } from 'zod';

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
}

export const userKeys = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' });
