import { addDays, today } from '../dates.ts';
import type { UnmetRequirement } from '../errors.ts';
import { type Currency, formatMoney } from '../money.ts';
import { listOpenInvoices } from '../repositories/invoices.ts';
import { getOrganization } from '../repositories/organizations.ts';
import { listProducts } from '../repositories/products.ts';

/** How long invoices are kept after an account is deleted (*beyond*: Swiss law, 10 years). */
export const RETENTION_YEARS = 10;
/** How long the confirmation link waits. */
export const CONFIRMATION_DAYS = 7;

/** The last day archived invoices are kept, counted from today. */
export const retainedUntil = () => addDays(today(), RETENTION_YEARS * 365 + Math.floor(RETENTION_YEARS / 4));

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
