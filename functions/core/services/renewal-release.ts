import { newLedgerEntry } from '../entities/invoice.ts';
import type { Product } from '../entities/product.ts';
import { sum } from '../money.ts';
import { invoicesById } from '../repositories/invoices.ts';
import { getOrganization } from '../repositories/organizations.ts';
import type { RenewalRelease } from '../repositories/renewal-release.ts';

/**
 * The open renewal invoices of products that leave their account's hands (terminated,
 * transferred, released) — always products of one account: each is voided, and what was paid on
 * them is refunded to the account's prepaid balance (R18) in one ledger entry, since one
 * transaction may move a balance once. The entry rides on the first refunded invoice's release.
 */
export async function releasesOf(products: Product[]): Promise<RenewalRelease[]> {
  const [owner] = products;
  if (!owner) return [];
  // The renewal invoices the products wait on, in one request (none when no product waits).
  const waiting = await invoicesById(
    owner.organizationId,
    products.flatMap((p) => (p.openRenewalInvoiceId ? [p.openRenewalInvoiceId] : [])),
  );
  const invoices = [...waiting.values()].filter((i) => i.status === 'open');
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
