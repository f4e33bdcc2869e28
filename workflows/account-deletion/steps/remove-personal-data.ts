import { removePersonalData } from '#core/repositories/deletions.ts';
import { deleteObject } from '#core/repositories/documents.ts';
import { getOrganization } from '#core/repositories/organizations.ts';
import { task } from '../../task.ts';
import { Account } from './input.ts';

/** State RemovePersonalData (R28): the logo, addresses, credits, products and the account's names go. */
export const handler = task(Account, async (input) => {
  const account = await getOrganization(input.organizationId);
  if (account?.logoKey) await deleteObject(account.logoKey);
  await removePersonalData(input.organizationId);
  return { logo: Boolean(account?.logoKey) };
});
