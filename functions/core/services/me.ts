import type { Caller, EmailSource } from '../caller.ts';
import type { Language, UserProfile } from '../entities/user.ts';
import { getMembership } from '../repositories/organizations.ts';
import { getUserProfile, saveUserPreferences } from '../repositories/users.ts';

/** The language a profile starts with before the user picks one. */
export const DEFAULT_LANGUAGE: Language = 'en';

/**
 * Who am I: the caller's profile. A login that has never stored a preference still gets a
 * profile, built from its token, so the first call of a new user works without a write.
 */
export async function describeCaller(caller: Caller, emailOf: EmailSource): Promise<UserProfile> {
  const stored = await getUserProfile(caller.userId);
  if (stored) return withLiveCurrent(stored);
  const email = await emailOf({ profile: undefined });
  return {
    userId: caller.userId,
    email,
    language: DEFAULT_LANGUAGE,
    currentOrganizationId: null,
    recoveryEmail: email,
    billingNotices: true,
  };
}

/** The caller changes their preferences (the language of their e-mails, the current account). */
export async function updatePreferences(
  caller: Caller,
  preferences: { language?: Language; currentOrganizationId?: string; billingNotices?: boolean },
  emailOf: EmailSource,
): Promise<UserProfile> {
  return withLiveCurrent(
    await saveUserPreferences(caller.userId, await emailOf(), preferences, DEFAULT_LANGUAGE),
  );
}

/**
 * R5: the current account is one the user still belongs to. Removed, left or deleted in any
 * order of events (even while switching to it), it is no longer named: checked when read, so
 * no removal has to find every profile that names the account.
 */
async function withLiveCurrent(profile: UserProfile): Promise<UserProfile> {
  const current = profile.currentOrganizationId;
  if (!current || (await getMembership(current, profile.userId))) return profile;
  return { ...profile, currentOrganizationId: null };
}

/** The language to write to a user in: their choice, else the default. */
export async function languageOf(userId: string): Promise<Language> {
  return (await getUserProfile(userId))?.language ?? DEFAULT_LANGUAGE;
}
