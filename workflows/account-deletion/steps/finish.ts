import * as z from 'zod/mini';
import { formatDay } from '#core/formats.ts';
import { count } from '#core/metrics.ts';
import { markAccountDeleted, setDeletionStatus } from '#core/repositories/deletions.ts';
import { task } from '../../task.ts';
import { tellRequester } from '../mail.ts';
import { Account, requireDeletion } from './input.ts';

/** State Finish (R28): the account is gone; the legal representative gets the final e-mail. */
export const handler = task(z.extend(Account, { retainedUntil: z.iso.date() }), async (input) => {
  const deletion = await requireDeletion(input.organizationId);
  await markAccountDeleted(input.organizationId);
  await setDeletionStatus(input.organizationId, 'deleted');
  count('DeletionsDone', 1, { organizationId: input.organizationId });
  await tellRequester(deletion, 'deleted', 'accountDeleted', (language) => ({
    retainedUntil: formatDay(input.retainedUntil, language),
  }));
});
