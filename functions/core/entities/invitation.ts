import type { GrantableRights } from './membership.ts';
import type { Language } from './user.ts';

/**
 * An invitation to join an account (R9). Keys: pk = ORG#<orgId>, sk = INVITATION#<id>.
 * Beside it, while it is pending, an invitee lock: pk = ORG#<orgId>, sk = INVITEE#<email>,
 * so that one address has at most one pending invitation per account.
 */
export type InvitationStatus = 'pending' | 'accepted' | 'expired' | 'revoked';

export interface Invitation {
  organizationId: string;
  invitationId: string;
  email: string;
  rights: GrantableRights;
  language: Language;
  status: InvitationStatus;
  invitedBy: string;
  inviterEmail: string;
  inviterLanguage: Language;
  createdAt: string;
  expiresAt: string;
  resendCount: number;
  acceptedBy?: string;
}

/** How often an invitation e-mail may be sent again (R9: resends are limited). */
export const MAX_RESENDS = 3;
/** Default validity of an invitation (R9). */
export const INVITATION_VALIDITY_DAYS = 7;

export const invitationKeys = (organizationId: string, invitationId: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `INVITATION#${invitationId}`,
});
export const inviteeLockKeys = (organizationId: string, email: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `INVITEE#${email}`,
});
