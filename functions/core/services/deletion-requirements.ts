import { addDays, today } from '../dates.ts';
import type { UnmetRequirement } from '../errors.ts';
import { formatMoney } from '../money.ts';
import { listInvoices } from '../repositories/invoices.ts';
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

/** R27: what stands between the account and its deletion; empty when nothing does. */
export async function deletionRequirements(organizationId: string): Promise<UnmetRequirement[]> {
  const [products, account, open] = await Promise.all([
    listProducts(organizationId),
    getOrganization(organizationId),
    listInvoices(organizationId, { status: 'open', limit: 100 }),
  ]);
  const unmet: UnmetRequirement[] = [];
  const live = products.filter((p) => p.status !== 'terminated');
  if (live.length) {
    unmet.push({
      code: 'products-not-terminated',
      detail: `Terminate every product first: ${live.map((p) => p.name).join(', ')}.`,
    });
  }
  if (account && account.prepaidBalance !== 0) {
    unmet.push({
      code: 'prepaid-balance',
      detail: `Withdraw the prepaid balance first (${formatMoney(account.prepaidBalance, account.currency)}).`,
    });
  }
  if (open.items.length) {
    unmet.push({
      code: 'open-invoices',
      detail: `Settle the open invoices first: ${open.items.map((i) => i.number).join(', ')}.`,
    });
  }
  return unmet;
}
