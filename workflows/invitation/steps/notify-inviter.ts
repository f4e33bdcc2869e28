import { logger } from '#core/logger.ts';
import { sendEmail } from '#core/mail/mailer.ts';
import { getOrganization } from '#core/repositories/organizations.ts';
import { requireInvitation } from '#core/services/invitation-lookup.ts';
import { task } from '../../task.ts';
import { InvitationRef } from './input.ts';

/**
 * State NotifyInviter: the inviter is told of the acceptance or the expiry (R9), once — which
 * of the two, the invitation's status says.
 */
export const handler = task(InvitationRef, async (ref) => {
  const invitation = await requireInvitation(ref.organizationId, ref.invitationId);
  if (invitation.status !== 'accepted' && invitation.status !== 'expired') {
    throw new Error(`Invitation ${ref.invitationId} is ${invitation.status}: nothing to tell the inviter`);
  }
  const organization = await getOrganization(ref.organizationId);
  const result = await sendEmail({
    key: `invitation:${invitation.invitationId}:${invitation.status}`,
    to: invitation.inviterEmail,
    template: invitation.status === 'accepted' ? 'invitationAccepted' : 'invitationExpired',
    language: invitation.inviterLanguage,
    data: { organizationName: organization?.name ?? '', inviteeEmail: invitation.email },
  });
  logger.info('inviter notified', {
    invitationId: invitation.invitationId,
    outcome: invitation.status,
    result,
  });
});
