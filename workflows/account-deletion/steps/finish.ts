import type { Language } from '#core/entities/user.ts';
import { formatDay } from '#core/formats.ts';
import { sendEmail } from '#core/mail/mailer.ts';
import { markAccountDeleted, setDeletionStatus } from '#core/repositories/deletions.ts';
import { retainedUntil } from '#core/services/deletion-requirements.ts';
import { task } from '../../task.ts';
import { Account, requireDeletion } from './input.ts';

/** State Finish (R28): the account is gone; the legal representative gets the final e-mail. */
export const handler = task(Account, async (input) => {
  const deletion = await requireDeletion(input.organizationId);
  await markAccountDeleted(input.organizationId);
  await setDeletionStatus(input.organizationId, 'deleted');
  await sendEmail({
    key: `deletion:${input.organizationId}:${deletion.requestedAt}:deleted`,
    to: deletion.requesterEmail,
    template: 'accountDeleted',
    language: deletion.requesterLanguage as Language,
    data: {
      organizationName: deletion.organizationName,
      retainedUntil: formatDay(retainedUntil(), deletion.requesterLanguage as Language),
    },
  });
});
