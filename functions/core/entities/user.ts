import * as z from 'zod/mini';
import { lazy } from '../lazy-schema.ts';
import { codec, type Item, stored } from './item.ts';

/**
 * A login's profile (R1, R5). The login itself (e-mail + password) lives in Cognito; this
 * item holds what the Manager remembers about the person. Keys: pk = USER#<userId>, sk = PROFILE.
 */
export const Language = /* @__PURE__ */ z.enum(['it', 'en', 'fr', 'de']);
export type Language = z.infer<typeof Language>;

export const userPartition = (userId: string) => `USER#${userId}`;
const userIdOf = (item: Item) => String(item.pk).slice('USER#'.length);

export const UserProfile = /* @__PURE__ */ lazy(() =>
  z.object({
    userId: z.string(),
    email: z.string(),
    language: Language,
    /** The organization used last, remembered as a preference (R5). */
    currentOrganizationId: z._default(z.nullable(z.string()), null),
    /** Where password-reset links go (R2); the login e-mail until the user confirms another. */
    recoveryEmail: z.string(),
    /** Renewal reminders and other billing notices by e-mail (R25); on unless turned off. */
    billingNotices: z._default(z.boolean(), true),
  }),
);
export type UserProfile = z.infer<typeof UserProfile>;

export const userKeys = (userId: string) => ({ pk: userPartition(userId), sk: 'PROFILE' });

/** A profile is written field by field (UpdateItem); its user id is its key, its recovery address defaults to the login's. */
export const userItem = codec<UserProfile>({
  type: 'UserProfile',
  attributes: {
    userId: stored,
    email: stored,
    language: stored,
    currentOrganizationId: null,
    recoveryEmail: stored,
    billingNotices: true,
  },
  decode: (item) => ({ userId: userIdOf(item), recoveryEmail: item.email, ...item }),
  keys: (p) => userKeys(p.userId),
});

/** A pending change of recovery address (R2): pk = USER#<id>, sk = RECOVERY_CHANGE, with TTL. */
export const RecoveryChange = /* @__PURE__ */ lazy(() =>
  z.object({
    newEmail: z.string(),
    loginEmail: z.string(),
    tokenHash: z.string(),
    validUntil: z.string(),
  }),
);
export type RecoveryChange = z.infer<typeof RecoveryChange>;
export const recoveryChangeKeys = (userId: string) => ({ pk: userPartition(userId), sk: 'RECOVERY_CHANGE' });

/** A pending password reset (R2): pk = USER#<id>, sk = PASSWORD_RESET, with TTL. */
export const passwordResetKeys = (userId: string) => ({ pk: userPartition(userId), sk: 'PASSWORD_RESET' });

/** How long the links of R2 stay valid. */
/** When the last reset e-mails went, for the per-login cooldown (issue 13). */
export const resetCooldownKeys = (userId: string) => ({ pk: userPartition(userId), sk: 'RESET_COOLDOWN' });
/** At most one reset e-mail per login every 15 minutes, and 5 a day. */
export const RESET_COOLDOWN_MINUTES = 15;
export const RESETS_PER_DAY = 5;

export const RECOVERY_LINK_HOURS = 24;
export const PASSWORD_RESET_LINK_HOURS = 1;
