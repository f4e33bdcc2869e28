import { addDays, today } from '../dates.ts';
import type { Invoice } from '../entities/invoice.ts';
import { Conflict } from '../errors.ts';
import { newId } from '../ids.ts';
import { creditorReference } from '../payment-reference.ts';
import { readCounter } from '../repositories/counters.ts';
import { PAYMENT_TERM_DAYS } from '../seller.ts';

/**
 * R21/R22: the one way an invoice is issued, for orders and renewals alike. Its number comes from
 * the gap-free sequence (`INV-00000042`), its payment reference (ISO 11649, `RF…`) from the
 * number, and it is due after the payment term.
 */
export type InvoiceDraft = Omit<
  Invoice,
  'invoiceId' | 'number' | 'paymentReference' | 'issuedAt' | 'dueOn' | 'status' | 'amountPaid' | 'paidAt'
> & {
  /** Paid as it is issued (from the prepaid balance, R18). */
  paidNow?: boolean;
};

export function numberedInvoice(draft: InvoiceDraft, number: number, now = new Date()): Invoice {
  const { paidNow: prepaid, ...rest } = draft;
  // An invoice with nothing to pay (a free credit or promo covered it all) is paid as issued.
  const paidNow = prepaid || draft.total === 0;
  const digits = String(number).padStart(8, '0');
  return {
    ...rest,
    invoiceId: newId(),
    number: `INV-${digits}`,
    status: paidNow ? 'paid' : 'open',
    amountPaid: paidNow ? draft.total : 0,
    paymentReference: creditorReference(`INV${digits}`),
    issuedAt: now.toISOString(),
    dueOn: addDays(today(now), PAYMENT_TERM_DAYS),
    ...(paidNow ? { paidAt: now.toISOString() } : {}),
  };
}

/** What committing a numbered invoice came to: done, the number taken meanwhile, or another reason. */
export type Committed<T, R extends string> = { ok: true; value: T } | { ok: false; reason: 'counter' | R };

/** How often the sequence is read again when another invoice took the number first. */
const ATTEMPTS = 8;

/**
 * R22, gap-free numbering: reads the counter (unless the caller read it), lets `commit` write the invoice numbered next in
 * one transaction with the counter's step, and renumbers when another invoice took that number
 * meanwhile (after a short jittered pause). Any other reason is `commit`'s to answer.
 */
export async function withNextInvoiceNumber<T, R extends string>(
  commit: (number: number, counter: number) => Promise<Committed<T, R>>,
  /** The counter as the caller read it already (with its other items); read again on a retry. */
  known?: number,
): Promise<{ ok: true; value: T } | { ok: false; reason: R }> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const counter = attempt === 0 && known !== undefined ? known : await readCounter('invoice');
    const outcome = await commit(counter + 1, counter);
    if (outcome.ok || outcome.reason !== 'counter')
      return outcome as { ok: true; value: T } | { ok: false; reason: R };
    // Another invoice took the number: step aside a little (jittered, growing), so that a
    // crowd of writers spreads out instead of colliding again at once.
    // Stryker disable next-line ArithmeticOperator: equivalent — the pause's length changes, not what is written
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 15 * (attempt + 1)));
  }
  throw new Conflict('The invoice sequence is busy; try again.');
}
