import { getMembership } from '#core/repositories/organizations.ts';
import { requireInvitation } from '#core/services/invitation-lookup.ts';
import { task } from '../../task.ts';
import { InvitationRef } from './input.ts';

/**
 * State ConfirmAcceptance: after the accept route resumed the workflow, the membership exists
 * (the route made it in one transaction with the invitation's status).
 */
export const handler = task(InvitationRef, async (ref) => {
  const invitation = await requireInvitation(ref.organizationId, ref.invitationId);
  if (invitation.status !== 'accepted' || !invitation.acceptedBy) {
    throw new Error(`Invitation ${ref.invitationId} resumed but is ${invitation.status}`);
  }
  if (!(await getMembership(ref.organizationId, invitation.acceptedBy))) {
    throw new Error(`Invitation ${ref.invitationId} accepted without membership`);
  }
  return { acceptedBy: invitation.acceptedBy };
});
