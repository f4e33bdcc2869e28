import { newLedgerEntry } from '../entities/invoice.ts';
import type { Product } from '../entities/product.ts';
import { getInvoice } from '../repositories/invoices.ts';
import { getOrganization } from '../repositories/organizations.ts';
import type { RenewalRelease } from '../repositories/renewal-release.ts';

/**
 * The open renewal invoices of products that leave their account's hands (terminated,
 * transferred, released): each is voided, and what was paid on it is refunded to the account's
 * prepaid balance (R18) — the refunds of one account one after the other, from its balance now.
 */
export async function releasesOf(products: Product[]): Promise<RenewalRelease[]> {
  const releases: RenewalRelease[] = [];
  const balances = new Map<string, number>();
  for (const product of products) {
    if (!product.openRenewalInvoiceId) continue;
    const invoice = await getInvoice(product.organizationId, product.openRenewalInvoiceId);
    if (invoice?.status !== 'open') continue;
    if (invoice.amountPaid === 0) {
      releases.push({ invoice });
      continue;
    }
    const before =
      balances.get(invoice.organizationId) ??
      (await getOrganization(invoice.organizationId))?.prepaidBalance ??
      0;
    const entry = newLedgerEntry(
      invoice.amountPaid,
      invoice.currency,
      'refund',
      before + invoice.amountPaid,
      invoice.number,
    );
    balances.set(invoice.organizationId, entry.balanceAfter);
    releases.push({ invoice, refund: { before, entry } });
  }
  return mergeRefunds(releases);
}

/** One transaction may move an account's balance once: several refunds become one ledger entry. */
function mergeRefunds(releases: RenewalRelease[]): RenewalRelease[] {
  const refunded = releases.filter((r) => r.refund);
  const [first] = refunded;
  if (refunded.length < 2 || !first?.refund) return releases;
  const total = refunded.reduce((n, r) => n + (r.refund?.entry.amount ?? 0), 0);
  const entry = newLedgerEntry(
    total,
    first.invoice.currency,
    'refund',
    first.refund.before + total,
    refunded.map((r) => r.invoice.number).join(' '),
  );
  return releases.map((r) =>
    r === first ? { ...r, refund: { before: first.refund?.before ?? 0, entry } } : { invoice: r.invoice },
  );
}
