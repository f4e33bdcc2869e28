import * as z from 'zod';

/** What every step of the invitation workflow is given: the invitation it works on. */
export const InvitationRef = z.object({ organizationId: z.string().min(1), invitationId: z.string().min(1) });
