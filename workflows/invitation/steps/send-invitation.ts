import * as z from 'zod/mini';
import { storeTaskToken } from '#core/repositories/invitations.ts';
import { requireInvitation } from '#core/services/invitation-lookup.ts';
import { mailInvitation } from '#core/services/invitation-mail.ts';
import { task } from '../../task.ts';
import { InvitationRef } from './input.ts';

/** Ends the step when the invitation was revoked before its e-mail went out; caught by name. */
export class InvitationRevoked extends Error {
  override name = 'InvitationRevoked';
}

/**
 * A retried step finds the invitation accepted meanwhile (with an earlier attempt's link): the
 * workflow goes on to ConfirmAcceptance (caught by name) instead of waiting for nobody.
 */
export class InvitationAlreadyAccepted extends Error {
  override name = 'InvitationAlreadyAccepted';
}

/** State SendInvitation (R9): send the e-mail and park the task token until the invitee accepts. */
export const handler = task(
  z.extend(InvitationRef, { taskToken: z.string().check(z.minLength(1)) }),
  async (ref) => {
    let invitation = await requireInvitation(ref.organizationId, ref.invitationId);
    // The token is parked first: once the link exists, accepting it must be able to resume us.
    if (invitation.status !== 'pending' || !(await storeTaskToken(invitation, ref.taskToken))) {
      invitation = await requireInvitation(ref.organizationId, ref.invitationId);
      if (invitation.status === 'accepted') throw new InvitationAlreadyAccepted(ref.invitationId);
      throw new InvitationRevoked(`Invitation ${ref.invitationId} is ${invitation.status}`);
    }
    await mailInvitation(invitation, 0, {});
  },
);
