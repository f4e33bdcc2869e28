import * as z from 'zod/mini';
import type { Caller } from '../caller.ts';
import { answerPage } from '../cursor.ts';
import { lazy } from '../lazy-schema.ts';
import { listInvoices } from '../repositories/invoices.ts';
import { built, PageQuery } from '../schemas.ts';
import { requireBilling } from './organizations.ts';

/** R24: an account's invoices, newest first, a page at a time (signed cursors, cursor.ts). */
export const InvoiceQuery = lazy(() =>
  z.extend(built(PageQuery), {
    status: z.optional(z.enum(['open', 'paid', 'void'])),
  }),
);

export async function invoiceHistory(
  caller: Caller,
  organizationId: string,
  query: z.infer<typeof InvoiceQuery>,
) {
  await requireBilling(caller, organizationId);
  // A cursor belongs to this account's list with this filter, and to no other.
  const scope = `invoices:${organizationId}:${query.status ?? ''}`;
  return answerPage(scope, query, (page) =>
    listInvoices(organizationId, { ...page, ...(query.status ? { status: query.status } : {}) }),
  );
}
