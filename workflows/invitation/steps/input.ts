import * as z from 'zod/mini';

/** What every step of the invitation workflow is given: the invitation it works on. */
export const InvitationRef = z.object({
  organizationId: z.string().check(z.minLength(1)),
  invitationId: z.string().check(z.minLength(1)),
});
