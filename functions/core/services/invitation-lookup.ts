import { NotFound } from '../errors.ts';
import { getInvitation } from '../repositories/invitations.ts';

/** An invitation of the account, or 404. */
export async function requireInvitation(organizationId: string, invitationId: string) {
  const invitation = await getInvitation(organizationId, invitationId);
  if (!invitation) throw new NotFound(`No invitation ${invitationId} in this account.`);
  return invitation;
}
