import * as z from 'zod';
import type { Caller } from '../caller.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { listInvoices } from '../repositories/invoices.ts';
import { Cursor } from '../schemas.ts';
import { requireBilling } from './organizations.ts';

/** R24: an account's invoices, newest first, a page at a time (signed cursors, cursor.ts). */
export const InvoiceQuery = z.strictObject({
  status: z.enum(['open', 'paid', 'void']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: Cursor.optional(),
});

export async function invoiceHistory(
  caller: Caller,
  organizationId: string,
  query: z.infer<typeof InvoiceQuery>,
) {
  await requireBilling(caller, organizationId);
  // A cursor belongs to this account's list with this filter, and to no other.
  const scope = `invoices:${organizationId}:${query.status ?? ''}`;
  const start = await decodeCursor(query.cursor, scope);
  const page = await listInvoices(organizationId, {
    limit: query.limit,
    ...(query.status ? { status: query.status } : {}),
    ...(start ? { start } : {}),
  });
  return { items: page.items, nextCursor: await encodeCursor(page.lastKey, scope) };
}
