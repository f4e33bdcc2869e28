import { type Invoice, newLedgerEntry } from '../entities/invoice.ts';
import type { Product } from '../entities/product.ts';
import { sum } from '../money.ts';
import { getInvoice } from '../repositories/invoices.ts';
import { getOrganization } from '../repositories/organizations.ts';
import type { RenewalRelease } from '../repositories/renewal-release.ts';

/**
 * The open renewal invoices of products that leave their account's hands (terminated,
 * transferred, released) — always products of one account: each is voided, and what was paid on
 * them is refunded to the account's prepaid balance (R18) in one ledger entry, since one
 * transaction may move a balance once. The entry rides on the first refunded invoice's release.
 */
export async function releasesOf(products: Product[]): Promise<RenewalRelease[]> {
  const invoices: Invoice[] = [];
  for (const product of products) {
    if (!product.openRenewalInvoiceId) continue;
    const invoice = await getInvoice(product.organizationId, product.openRenewalInvoiceId);
    if (invoice?.status === 'open') invoices.push(invoice);
  }
  const paid = invoices.filter((i) => i.amountPaid > 0);
  const [first] = paid;
  if (!first) return invoices.map((invoice) => ({ invoice }));
  const before = (await getOrganization(first.organizationId))?.prepaidBalance ?? 0;
  const total = sum(paid.map((i) => i.amountPaid));
  const entry = newLedgerEntry(
    total,
    first.currency,
    'refund',
    before + total,
    paid.map((i) => i.number).join(' '),
  );
  return invoices.map((invoice) =>
    invoice === first ? { invoice, refund: { before, entry } } : { invoice },
  );
}
