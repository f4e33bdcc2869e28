import { deletionRequirements, PreconditionsUnmet } from '#core/services/deletion-requirements.ts';
import { task } from '../../task.ts';
import { Account } from './input.ts';

/** States Recheck and RecheckConfirmed (R27, R28): the requirements still hold, before asking and once confirmed. */
export const handler = task(Account, async (input) => {
  const unmet = await deletionRequirements(input.organizationId);
  if (unmet.length) throw new PreconditionsUnmet(unmet.map((u) => u.code).join(' '));
  return { ok: true };
});
