import { requiredEnv } from '../config.ts';
import { type Invitation, RESEND_LIMIT_REACHED } from '../entities/invitation.ts';
import { Conflict } from '../errors.ts';
import { formatDateTime } from '../formats.ts';
import { composeToken, hashSecret, newSecret } from '../ids.ts';
import { sendEmail } from '../mail/mailer.ts';
import { storeInvitationSecret } from '../repositories/invitations.ts';
import { getOrganization } from '../repositories/organizations.ts';

const CONSOLE_URL = requiredEnv('CONSOLE_URL');

/** Why the link was not stored, so no e-mail went out: the invitation changed since it was read. */
const NOT_SENT = {
  'not-pending': 'The invitation ended meanwhile (revoked, accepted or expired); no e-mail was sent.',
  'resend-limit': RESEND_LIMIT_REACHED,
} as const;

/**
 * Sends the invitation e-mail number `sendNumber` (0 = first). The link secret is created only
 * when this e-mail is really sent, and only its hash is stored (R9).
 */
export async function mailInvitation(
  invitation: Invitation,
  sendNumber: number,
  options: { resend?: boolean },
) {
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
      expiresAt: formatDateTime(invitation.expiresAt, invitation.language),
    },
    link: async () => {
      const secret = newSecret();
      outcome = await storeInvitationSecret(invitation, hashSecret(secret), options);
      if (outcome !== 'stored') throw new Conflict(NOT_SENT[outcome]);
      const token = composeToken(invitation.organizationId, invitation.invitationId, secret);
      return `${CONSOLE_URL}/invitations/accept?token=${encodeURIComponent(token)}`;
    },
  });
  return { result, outcome };
}
