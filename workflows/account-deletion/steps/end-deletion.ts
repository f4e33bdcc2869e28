import * as z from 'zod/mini';
import { describeRequirements } from '#core/mail/copy-billing.ts';
import { setDeletionStatus } from '#core/repositories/deletions.ts';
import { deletionRequirements } from '#core/services/deletion-requirements.ts';
import { task } from '../../task.ts';
import { tellRequester } from '../mail.ts';
import { Account, requireDeletion } from './input.ts';

/** States Cancel and Expire (R28): a requirement no longer holds, or nobody confirmed; the account stays. */
export const handler = task(
  z.extend(Account, { outcome: z.enum(['cancelled', 'expired']) }),
  async (input) => {
    const deletion = await requireDeletion(input.organizationId);
    await setDeletionStatus(input.organizationId, input.outcome);
    if (input.outcome === 'cancelled') {
      const unmet = await deletionRequirements(input.organizationId);
      await tellRequester(deletion, 'cancelled', 'deletionCancelled', (language) => ({
        reason: describeRequirements(unmet, language),
      }));
    }
  },
);
