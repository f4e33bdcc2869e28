import * as z from 'zod/mini';
import { lazy } from '../lazy-schema.ts';
import { accountPartition, codec, stored } from './item.ts';
import { GrantableRights } from './membership.ts';
import { Language } from './user.ts';

/**
 * An invitation to join an account (R9). Keys: pk = ORG#<orgId>, sk = INVITATION#<id>.
 * Beside it, while it is pending, an invitee lock: pk = ORG#<orgId>, sk = INVITEE#<email>,
 * so that one address has at most one pending invitation per account.
 */
export const InvitationStatus = /* @__PURE__ */ z.enum(['pending', 'accepted', 'expired', 'revoked']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

export const Invitation = /* @__PURE__ */ lazy(() =>
  z.object({
    organizationId: z.string(),
    invitationId: z.string(),
    email: z.string(),
    rights: GrantableRights,
    language: Language,
    status: InvitationStatus,
    invitedBy: z.string(),
    inviterEmail: z.string(),
    inviterLanguage: Language,
    createdAt: z.string(),
    expiresAt: z.string(),
    resendCount: z.int(),
    acceptedBy: z.optional(z.string()),
  }),
);
export type Invitation = z.infer<typeof Invitation>;

/** What the workflow and the accept route keep next to an invitation, never shown to users. */
export const InvitationSecrets = /* @__PURE__ */ lazy(() =>
  z.object({
    tokenHash: z.optional(z.string()),
    taskToken: z.optional(z.string()),
  }),
);
export type InvitationSecrets = z.infer<typeof InvitationSecrets>;

/** How often an invitation e-mail may be sent again (R9: resends are limited). */
export const MAX_RESENDS = 3;
/** The answer to a resend past the limit, whether the service or the database's condition finds it. */
export const RESEND_LIMIT_REACHED = `An invitation can be resent at most ${MAX_RESENDS} times.`;
/**
 * Daily caps on new invitations (issue 13), counted when an invitation is created, so that
 * revoking and inviting again cannot mail one address over and over.
 */
export const INVITES_PER_ADDRESS_PER_DAY = 3;
export const INVITES_PER_ACCOUNT_PER_DAY = 50;
/**
 * The error a revocation stops the invitation's workflow with: an expected stop, which the
 * stage's failed-execution rule does not report (infra/constructs/operations.ts).
 */
export const INVITATION_REVOKED = 'InvitationRevoked';

/** Default validity of an invitation (R9). */
export const INVITATION_VALIDITY_DAYS = 7;

export const INVITATION_PREFIX = 'INVITATION#';
export const INVITEE_PREFIX = 'INVITEE#';

export const invitationKeys = (organizationId: string, invitationId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${INVITATION_PREFIX}${invitationId}`,
});
export const inviteeLockKeys = (organizationId: string, email: string) => ({
  pk: accountPartition(organizationId),
  sk: `${INVITEE_PREFIX}${email}`,
});

/** The stored invitation, its secrets included; `Invitation.parse` of it is what users may see. */
export const invitationItem = codec<Invitation & InvitationSecrets>({
  type: 'Invitation',
  attributes: {
    organizationId: stored,
    invitationId: stored,
    email: stored,
    rights: stored,
    language: stored,
    status: stored,
    invitedBy: stored,
    inviterEmail: stored,
    inviterLanguage: stored,
    createdAt: stored,
    expiresAt: stored,
    resendCount: stored,
    acceptedBy: stored,
    tokenHash: stored,
    taskToken: stored,
  },
  keys: (i) => invitationKeys(i.organizationId, i.invitationId),
});
