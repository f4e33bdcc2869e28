import { endInvitation } from '#core/repositories/invitations.ts';
import { requireInvitation } from '#core/services/invitation-lookup.ts';
import { task } from '../../task.ts';
import { InvitationRef } from './input.ts';

/** State MarkExpired: on timeout the invitation expires, unless it was accepted or revoked at the last moment. */
export const handler = task(InvitationRef, async (ref) => {
  const invitation = await requireInvitation(ref.organizationId, ref.invitationId);
  if (invitation.status !== 'pending') return { expired: invitation.status === 'expired' };
  return { expired: await endInvitation(invitation, 'expired') };
});
