import { removeAccess } from '#core/repositories/deletions.ts';
import { task } from '../../task.ts';
import { Account } from './input.ts';

/** State RemoveAccess (R28): memberships, open invitations and transfer requests go (idempotent). */
export const handler = task(Account, async (input) => ({
  removed: await removeAccess(input.organizationId),
}));
