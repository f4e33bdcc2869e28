import { requiredEnv } from '../config.ts';
import { INVITATION_VALIDITY_DAYS, type Invitation, MAX_RESENDS } from '../entities/invitation.ts';
import type { GrantableRights, Membership } from '../entities/membership.ts';
import type { Language } from '../entities/user.ts';
import { Conflict, Gone, NotFound, ValidationFailed } from '../errors.ts';
import type { Caller } from '../http.ts';
import { composeToken, hashSecret, newId, newSecret, secretMatches, splitToken } from '../ids.ts';
import { logger } from '../logger.ts';
import { sendEmail } from '../mail/mailer.ts';
import { formatDate } from '../mail/templates.ts';
import {
  acceptInvitationTransaction,
  endInvitation,
  getInvitation,
  type InvitationSecrets,
  insertInvitation,
  listInvitations,
  publicInvitation,
  storeInvitationSecret,
  storeTaskToken,
} from '../repositories/invitations.ts';
import { getMembership, getOrganization, listMembers } from '../repositories/organizations.ts';
import { normalizeRights, roleOf } from '../rights.ts';
import { resumeTask, startWorkflow, stopWorkflow } from '../workflows.ts';
import { languageOf } from './me.ts';
import { requireAdmin } from './organizations.ts';

const CONSOLE_URL = requiredEnv('CONSOLE_URL');

/** Ends the first step when the invitation was revoked before its e-mail went out; caught by name. */
export class InvitationRevoked extends Error {
  override name = 'InvitationRevoked';
}

export interface InviteRequest {
  email: string;
  rights: GrantableRights;
  language?: Language;
}

async function requireInvitation(organizationId: string, invitationId: string) {
  const invitation = await getInvitation(organizationId, invitationId);
  if (!invitation) throw new NotFound(`No invitation ${invitationId} in this account.`);
  return invitation;
}

const isPastExpiry = (invitation: Invitation) => new Date(invitation.expiresAt).getTime() <= Date.now();

/**
 * Sends the invitation e-mail number `sendNumber` (0 = first). The link secret is created only
 * when this e-mail is really sent, and only its hash is stored (R9).
 */
async function mailInvitation(invitation: Invitation, sendNumber: number, options: { resend?: boolean }) {
  const organization = await getOrganization(invitation.organizationId);
  let outcome: 'stored' | 'not-pending' | 'resend-limit' = 'stored';
  const result = await sendEmail({
    key: `invitation:${invitation.invitationId}:send:${sendNumber}`,
    to: invitation.email,
    template: 'invitation',
    language: invitation.language,
    data: {
      organizationName: organization?.name ?? '',
      inviterEmail: invitation.inviterEmail,
      expiresAt: formatDate(invitation.expiresAt, invitation.language),
    },
    link: async () => {
      const secret = newSecret();
      outcome = await storeInvitationSecret(invitation, hashSecret(secret), options);
      if (outcome !== 'stored') throw new Conflict(`The invitation can no longer be sent (${outcome}).`);
      const token = composeToken(invitation.organizationId, invitation.invitationId, secret);
      return `${CONSOLE_URL}/invitations/accept?token=${encodeURIComponent(token)}`;
    },
  });
  return { result, outcome };
}

/** R9: an admin invites an address with the rights to grant; the workflow sends the e-mail. */
export async function invite(
  caller: Caller,
  organizationId: string,
  request: InviteRequest,
): Promise<Invitation> {
  const actor = await requireAdmin(caller, organizationId);
  const email = request.email.toLowerCase();
  const members = await listMembers(organizationId);
  if (members.some((m) => m.email.toLowerCase() === email)) {
    throw new Conflict(`${email} is already a member of this account.`);
  }
  const inviterLanguage = await languageOf(caller.userId);
  const now = new Date();
  const invitation: Invitation = {
    organizationId,
    invitationId: newId(),
    email,
    rights: request.rights,
    language: request.language ?? inviterLanguage,
    status: 'pending',
    invitedBy: caller.userId,
    inviterEmail: actor.email,
    inviterLanguage,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITATION_VALIDITY_DAYS * 86_400_000).toISOString(),
    resendCount: 0,
  };
  if ((await insertInvitation(invitation)) === 'already-invited') {
    throw new Conflict(`${email} already has a pending invitation to this account; resend or revoke it.`);
  }
  try {
    await startWorkflow(requiredEnv('INVITATION_WORKFLOW_ARN'), invitation.invitationId, {
      organizationId,
      invitationId: invitation.invitationId,
      expiresInSeconds: INVITATION_VALIDITY_DAYS * 86_400,
    });
  } catch (error) {
    // Compensation: an invitation whose workflow never started must not block the address.
    await endInvitation(invitation, 'revoked', caller.userId);
    throw error;
  }
  return invitation;
}

export async function listAccountInvitations(caller: Caller, organizationId: string): Promise<Invitation[]> {
  await requireAdmin(caller, organizationId);
  return listInvitations(organizationId);
}

/** R9: revoking ends a pending invitation and stops its workflow. */
export async function revoke(
  caller: Caller,
  organizationId: string,
  invitationId: string,
): Promise<Invitation> {
  await requireAdmin(caller, organizationId);
  const invitation = await requireInvitation(organizationId, invitationId);
  if (invitation.status !== 'pending' || !(await endInvitation(invitation, 'revoked', caller.userId))) {
    throw new Conflict(
      `The invitation is already ${invitation.status === 'pending' ? 'ended' : invitation.status}.`,
    );
  }
  await stopWorkflow(requiredEnv('INVITATION_WORKFLOW_ARN'), invitationId, 'InvitationRevoked');
  return publicInvitation({ ...invitation, status: 'revoked' });
}

/** R9: resends are limited; each resend replaces the link (the older link stops working). */
export async function resend(
  caller: Caller,
  organizationId: string,
  invitationId: string,
): Promise<Invitation> {
  await requireAdmin(caller, organizationId);
  const invitation = await requireInvitation(organizationId, invitationId);
  if (invitation.status !== 'pending') throw new Conflict(`The invitation is ${invitation.status}.`);
  if (isPastExpiry(invitation)) throw new Gone('The invitation has expired; send a new one.');
  if (invitation.resendCount >= MAX_RESENDS) {
    throw new Conflict(`An invitation can be resent at most ${MAX_RESENDS} times.`);
  }
  await mailInvitation(invitation, invitation.resendCount + 1, { resend: true });
  return publicInvitation({ ...invitation, resendCount: invitation.resendCount + 1 });
}

export interface Acceptance {
  organizationId: string;
  organizationName: string;
  role: ReturnType<typeof roleOf>;
}

const acceptance = (m: Membership): Acceptance => ({
  organizationId: m.organizationId,
  organizationName: m.organizationName,
  role: roleOf(m.rights),
});

/**
 * R9: the signed-in invitee accepts with the link's token. Accepting twice gives the same
 * result; a revoked, expired or used invitation is refused with 410.
 */
export async function accept(caller: Caller, token: string): Promise<Acceptance> {
  const parts = splitToken(token, 3);
  if (!parts) throw new ValidationFailed([{ pointer: '/body/token', detail: 'Not an invitation token.' }]);
  const [organizationId, invitationId, secret] = parts as [string, string, string];
  const invitation = await getInvitation(organizationId, invitationId);
  if (!invitation) throw new NotFound('This invitation does not exist.');

  if (invitation.status === 'accepted') {
    const membership =
      invitation.acceptedBy === caller.userId
        ? await getMembership(organizationId, caller.userId)
        : undefined;
    if (membership) return acceptance(membership);
    throw new Gone('This invitation has already been used.');
  }
  if (invitation.status === 'revoked') throw new Gone('This invitation was revoked.');
  if (invitation.status === 'expired' || isPastExpiry(invitation))
    throw new Gone('This invitation has expired.');
  if (!secretMatches(secret, invitation.tokenHash)) {
    throw new NotFound('This invitation link is not valid; a newer invitation e-mail may have replaced it.');
  }

  const organization = await getOrganization(organizationId);
  const membership: Membership = {
    organizationId,
    organizationName: organization?.name ?? '',
    userId: caller.userId,
    email: caller.email ?? invitation.email,
    rights: normalizeRights(invitation.rights),
    joinedAt: new Date().toISOString(),
  };
  const outcome = await acceptInvitationTransaction(invitation, membership);
  if (outcome === 'already-member') throw new Conflict('You are already a member of this account.');
  if (outcome === 'not-pending') return accept(caller, token); // accepted or ended meanwhile: answer as such
  if (invitation.taskToken) await resumeTask(invitation.taskToken, { userId: caller.userId });
  return acceptance(membership);
}

// ---- Steps of the invitation workflow --------------------------------------------------------

export interface InvitationRef {
  organizationId: string;
  invitationId: string;
}

/** Step 1: send the e-mail and park the task token until the invitee accepts. */
export async function sendInvitationStep(ref: InvitationRef & { taskToken: string }): Promise<void> {
  const invitation = await requireInvitation(ref.organizationId, ref.invitationId);
  // The token is parked first: once the link exists, accepting it must be able to resume us.
  if (invitation.status !== 'pending' || !(await storeTaskToken(invitation, ref.taskToken))) {
    throw new InvitationRevoked(`Invitation ${ref.invitationId} is no longer pending`);
  }
  await mailInvitation(invitation, 0, {});
}

/** After acceptance: make sure the membership exists (the accept route created it in one transaction). */
export async function confirmAcceptanceStep(ref: InvitationRef): Promise<{ acceptedBy: string }> {
  const invitation = await requireInvitation(ref.organizationId, ref.invitationId);
  if (invitation.status !== 'accepted' || !invitation.acceptedBy) {
    throw new Error(`Invitation ${ref.invitationId} resumed but is ${invitation.status}`);
  }
  if (!(await getMembership(ref.organizationId, invitation.acceptedBy))) {
    throw new Error(`Invitation ${ref.invitationId} accepted without membership`);
  }
  return { acceptedBy: invitation.acceptedBy };
}

/** On timeout: the invitation expires, unless it was accepted or revoked at the last moment. */
export async function expireStep(ref: InvitationRef): Promise<{ expired: boolean }> {
  const invitation = await requireInvitation(ref.organizationId, ref.invitationId);
  if (invitation.status !== 'pending') return { expired: invitation.status === 'expired' };
  return { expired: await endInvitation(invitation, 'expired') };
}

/** The inviter is told of acceptance and of expiry (R9), once. */
export async function notifyInviterStep(
  ref: InvitationRef & { outcome: 'accepted' | 'expired' },
): Promise<void> {
  const invitation = await requireInvitation(ref.organizationId, ref.invitationId);
  const organization = await getOrganization(ref.organizationId);
  const result = await sendEmail({
    key: `invitation:${invitation.invitationId}:${ref.outcome}`,
    to: invitation.inviterEmail,
    template: ref.outcome === 'accepted' ? 'invitationAccepted' : 'invitationExpired',
    language: invitation.inviterLanguage,
    data: { organizationName: organization?.name ?? '', inviteeEmail: invitation.email },
  });
  logger.info('inviter notified', { invitationId: invitation.invitationId, outcome: ref.outcome, result });
}

export type { InvitationSecrets };
