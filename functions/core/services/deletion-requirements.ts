import { addMonths, today } from '../dates.ts';
import type { UnmetRequirement } from '../errors.ts';
import { type Currency, formatMoney } from '../money.ts';
import { listOpenInvoices } from '../repositories/invoices.ts';
import { getOrganization } from '../repositories/organizations.ts';
import { listProducts } from '../repositories/products.ts';

/** How long invoices are kept after an account is deleted (*beyond*: Swiss law, 10 years). */
export const RETENTION_YEARS = 10;
/** How long the confirmation link waits. */
export const CONFIRMATION_DAYS = 7;

/**
 * The last day archived invoices are kept: the same day RETENTION_YEARS later (29 February
 * gives 28 February). Calendar years, not days: 3,652 days fell a day short of ten years
 * whenever three leap days came between.
 */
export const retainedUntil = () => addMonths(today(), RETENTION_YEARS * 12);

/** A requirement of R27 no longer holds: the workflow ends the deletion (caught by name). */
export class PreconditionsUnmet extends Error {
  override name = 'PreconditionsUnmet';
}

/** What stands between an account and its deletion, with what a message needs to name it. */
export type DeletionRequirement = UnmetRequirement &
  (
    | { code: 'products-not-terminated'; products: string[] }
    | { code: 'prepaid-balance'; amount: number; currency: Currency }
    | { code: 'open-invoices'; invoices: string[] }
  );

/** R27: what stands between the account and its deletion; empty when nothing does. */
export async function deletionRequirements(organizationId: string): Promise<DeletionRequirement[]> {
  const [products, account, open] = await Promise.all([
    listProducts(organizationId),
    getOrganization(organizationId),
    listOpenInvoices(organizationId),
  ]);
  const unmet: DeletionRequirement[] = [];
  const live = products.filter((p) => p.status !== 'terminated');
  if (live.length) {
    unmet.push({
      code: 'products-not-terminated',
      detail: `Terminate every product first: ${live.map((p) => p.name).join(', ')}.`,
      products: live.map((p) => p.name),
    });
  }
  if (account && account.prepaidBalance !== 0) {
    unmet.push({
      code: 'prepaid-balance',
      detail: `Withdraw the prepaid balance first (${formatMoney(account.prepaidBalance, account.currency)}).`,
      amount: account.prepaidBalance,
      currency: account.currency,
    });
  }
  if (open.length) {
    unmet.push({
      code: 'open-invoices',
      detail: `Settle the open invoices first: ${open.map((i) => i.number).join(', ')}.`,
      invoices: open.map((i) => i.number),
    });
  }
  return unmet;
}
