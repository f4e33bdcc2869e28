import * as z from 'zod/mini';
import { type Deletion, getDeletion } from '#core/repositories/deletions.ts';

/** What every step of the account-deletion workflow is given: the account it deletes. */
export const Account = z.object({ organizationId: z.string().check(z.minLength(1)) });

export async function requireDeletion(organizationId: string): Promise<Deletion> {
  const deletion = await getDeletion(organizationId);
  if (!deletion) throw new Error(`No deletion for ${organizationId}`);
  return deletion;
}
