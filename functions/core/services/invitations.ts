import type { Caller, EmailSource } from '../caller.ts';
import { requiredEnv } from '../config.ts';
import { answerPage } from '../cursor.ts';
import {
  INVITATION_REVOKED,
  INVITATION_VALIDITY_DAYS,
  INVITES_PER_ACCOUNT_PER_DAY,
  INVITES_PER_ADDRESS_PER_DAY,
  type Invitation,
  MAX_RESENDS,
  RESEND_LIMIT_REACHED,
} from '../entities/invitation.ts';
import type { GrantableRights, Membership } from '../entities/membership.ts';
import type { Suppression } from '../entities/suppression.ts';
import type { Language } from '../entities/user.ts';
import { Conflict, Gone, NotFound, TooManyRequests } from '../errors.ts';
import { newId, secretMatches, splitToken } from '../ids.ts';
import { count } from '../metrics.ts';
import {
  acceptInvitationTransaction,
  endInvitation,
  getInvitation,
  type InvitationSecrets,
  insertInvitation,
  listInvitations,
  publicInvitation,
} from '../repositories/invitations.ts';
import { getMembership, getOrganization, listMembers } from '../repositories/organizations.ts';
import { getSuppression, withSuppressions } from '../repositories/suppressions.ts';
import { normalizeRights, roleOf } from '../rights.ts';
import type { PageQuery } from '../schemas.ts';
import { resumeTask, startWorkflow, stopWorkflow } from '../workflows.ts';
import { requireInvitation } from './invitation-lookup.ts';
import { mailInvitation } from './invitation-mail.ts';
import { languageOf } from './me.ts';
import { requireAdmin } from './organizations.ts';
import { ownProductGrant } from './products.ts';

export interface InviteRequest {
  email: string;
  rights: GrantableRights;
  language?: Language;
}

/** Why an invitation cannot reach an address (issue 15): the admin asks the invitee for another. */
const unreachable = (email: string, suppression: Suppression) =>
  `No e-mail reaches ${email}: it was reported as ${
    suppression.reason === 'bounce' ? 'undeliverable' : 'complaining of our e-mail as spam'
  }${suppression.since ? ` on ${suppression.since.slice(0, 10)}` : ''}. Ask for another address.`;

const isPastExpiry = (invitation: Invitation) => new Date(invitation.expiresAt).getTime() <= Date.now();

/** R9: an admin invites an address with the rights to grant; the workflow sends the e-mail. */
export async function invite(
  caller: Caller,
  organizationId: string,
  request: InviteRequest,
): Promise<Invitation> {
  const actor = await requireAdmin(caller, organizationId);
  const email = request.email.toLowerCase();
  const [members, suppressed, inviterLanguage] = await Promise.all([
    listMembers(organizationId),
    getSuppression(email),
    languageOf(caller.userId),
  ]);
  if (members.some((m) => m.email.toLowerCase() === email)) {
    throw new Conflict(`${email} is already a member of this account.`);
  }
  if (suppressed) throw new Conflict(unreachable(email, suppressed));
  const now = new Date();
  const invitation: Invitation = {
    organizationId,
    invitationId: newId(),
    email,
    rights: await ownProductGrant(organizationId, request.rights, '/body/rights/products'),
    language: request.language ?? inviterLanguage,
    status: 'pending',
    invitedBy: caller.userId,
    inviterEmail: actor.email,
    inviterLanguage,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITATION_VALIDITY_DAYS * 86_400_000).toISOString(),
    resendCount: 0,
  };
  const day = now.toISOString().slice(0, 10);
  const endOfDay = new Date(`${day}T00:00:00Z`).getTime() + 2 * 86_400_000;
  const daily = (name: string, subject: string, max: number) => ({
    name,
    subject,
    window: day,
    max,
    expiresAt: new Date(endOfDay),
  });
  const outcome = await insertInvitation(invitation, [
    daily('invite-address', email, INVITES_PER_ADDRESS_PER_DAY),
    daily('invite-account', organizationId, INVITES_PER_ACCOUNT_PER_DAY),
  ]);
  if (outcome === 'already-invited') {
    throw new Conflict(`${email} already has a pending invitation to this account; resend or revoke it.`);
  }
  if (outcome === 'limit-reached') {
    throw new TooManyRequests(
      `No more invitations today: at most ${INVITES_PER_ADDRESS_PER_DAY} a day to one address and ${INVITES_PER_ACCOUNT_PER_DAY} a day from one account.`,
      Math.ceil((new Date(`${day}T00:00:00Z`).getTime() + 86_400_000 - now.getTime()) / 1000),
    );
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

export async function listAccountInvitations(caller: Caller, organizationId: string, query: PageQuery) {
  await requireAdmin(caller, organizationId);
  return answerPage(`invitations:${organizationId}`, query, async (page) =>
    withSuppressions(await listInvitations(organizationId, page)),
  );
}

/** R8: an invitation of the account, for one of its admins. */
async function invitationForAdmin(caller: Caller, organizationId: string, invitationId: string) {
  await requireAdmin(caller, organizationId);
  return requireInvitation(organizationId, invitationId);
}

/** R9: revoking ends a pending invitation and stops its workflow. */
export async function revoke(
  caller: Caller,
  organizationId: string,
  invitationId: string,
): Promise<Invitation> {
  const invitation = await invitationForAdmin(caller, organizationId, invitationId);
  if (invitation.status !== 'pending' || !(await endInvitation(invitation, 'revoked', caller.userId))) {
    throw new Conflict(
      `The invitation is already ${invitation.status === 'pending' ? 'ended' : invitation.status}.`,
    );
  }
  await stopWorkflow(requiredEnv('INVITATION_WORKFLOW_ARN'), invitationId, INVITATION_REVOKED);
  return publicInvitation({ ...invitation, status: 'revoked' });
}

/** R9: resends are limited; each resend replaces the link (the older link stops working). */
export async function resend(
  caller: Caller,
  organizationId: string,
  invitationId: string,
): Promise<Invitation> {
  const invitation = await invitationForAdmin(caller, organizationId, invitationId);
  if (invitation.status !== 'pending') throw new Conflict(`The invitation is ${invitation.status}.`);
  if (isPastExpiry(invitation)) throw new Gone('The invitation has expired; send a new one.');
  if (invitation.resendCount >= MAX_RESENDS) {
    throw new Conflict(RESEND_LIMIT_REACHED);
  }
  const { result } = await mailInvitation(invitation, invitation.resendCount + 1, { resend: true });
  if (result === 'suppressed') {
    const suppressed = await getSuppression(invitation.email);
    throw new Conflict(unreachable(invitation.email, suppressed ?? { reason: 'bounce', since: '' }));
  }
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
export async function accept(caller: Caller, token: string, emailOf: EmailSource): Promise<Acceptance> {
  const [organizationId, invitationId, secret] = splitToken(token, 3, 'Not an invitation token.') as [
    string,
    string,
    string,
  ];
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
    email: await emailOf(),
    rights: normalizeRights(invitation.rights),
    joinedAt: new Date().toISOString(),
  };
  const outcome = await acceptInvitationTransaction(invitation, membership);
  if (outcome === 'already-member') throw new Conflict('You are already a member of this account.');
  if (outcome === 'not-pending') return accept(caller, token, emailOf); // accepted or ended meanwhile: answer as such
  count('InvitationsAccepted', 1, { organizationId });
  await resumeWorkflow(invitation, caller.userId);
  return acceptance(membership);
}

/**
 * Resumes the workflow's waiting step. A retried step parks a new token, so a token read before
 * it may be spent: then the invitation's current token is resumed. (A step retried after the
 * acceptance finds it accepted and goes on by itself.)
 */
async function resumeWorkflow(invitation: Invitation & { taskToken?: string }, userId: string) {
  let token = invitation.taskToken;
  for (let attempt = 0; token && attempt < 3; attempt++) {
    if (await resumeTask(token, { userId })) return;
    const current = (await getInvitation(invitation.organizationId, invitation.invitationId))?.taskToken;
    token = current !== token ? current : undefined;
  }
}

export type { InvitationSecrets };
