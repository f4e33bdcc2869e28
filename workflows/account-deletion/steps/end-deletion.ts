import * as z from 'zod';
import type { Language } from '#core/entities/user.ts';
import { describeRequirements } from '#core/mail/copy-billing.ts';
import { sendEmail } from '#core/mail/mailer.ts';
import { setDeletionStatus } from '#core/repositories/deletions.ts';
import { deletionRequirements } from '#core/services/deletion-requirements.ts';
import { task } from '../../task.ts';
import { Account, requireDeletion } from './input.ts';

/** States Cancel and Expire (R28): a requirement no longer holds, or nobody confirmed; the account stays. */
export const handler = task(Account.extend({ outcome: z.enum(['cancelled', 'expired']) }), async (input) => {
  const deletion = await requireDeletion(input.organizationId);
  await setDeletionStatus(input.organizationId, input.outcome);
  if (input.outcome === 'cancelled') {
    const unmet = await deletionRequirements(input.organizationId);
    await sendEmail({
      key: `deletion:${input.organizationId}:${deletion.requestedAt}:cancelled`,
      to: deletion.requesterEmail,
      template: 'deletionCancelled',
      language: deletion.requesterLanguage as Language,
      data: {
        organizationName: deletion.organizationName,
        reason: describeRequirements(unmet, deletion.requesterLanguage as Language),
      },
    });
  }
});
