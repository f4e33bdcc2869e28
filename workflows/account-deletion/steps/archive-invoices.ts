import { markArchived } from '#core/repositories/deletions.ts';
import { writeObject } from '#core/repositories/documents.ts';
import { listInvoices } from '#core/repositories/invoices.ts';
import { retainedUntil } from '#core/services/deletion-requirements.ts';
import { task } from '../../task.ts';
import { Account } from './input.ts';

/**
 * State ArchiveInvoices (R28): invoices are kept, read-only, for the retention period — a JSON
 * copy below archive/ and a mark on each.
 */
export const handler = task(Account, async (input) => {
  const until = retainedUntil();
  let start: Record<string, unknown> | undefined;
  let archived = 0;
  do {
    const page = await listInvoices(input.organizationId, { limit: 100, ...(start ? { start } : {}) });
    for (const invoice of page.items) {
      await writeObject(
        `archive/${input.organizationId}/${invoice.invoiceId}.json`,
        Buffer.from(JSON.stringify({ ...invoice, archivedUntil: until })),
        'application/json',
      );
      await markArchived(input.organizationId, invoice.invoiceId, until);
      archived++;
    }
    start = page.lastKey;
  } while (start);
  return { archived, until };
});
