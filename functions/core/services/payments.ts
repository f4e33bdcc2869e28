import * as z from 'zod/mini';
import { type Invoice, newLedgerEntry } from '../entities/invoice.ts';
import { Conflict } from '../errors.ts';
import { count } from '../metrics.ts';
import { MinorUnits } from '../money.ts';
import { normalizeReference } from '../payment-reference.ts';
import { findByPaymentReference, getInvoice } from '../repositories/invoices.ts';
import { getOrganization } from '../repositories/organizations.ts';
import { commitPayment, getPaymentAnswer } from '../repositories/payments.ts';
import { Text } from '../schemas.ts';
import { remaining } from './invoices.ts';
import { renewedProducts } from './renewals.ts';

export const BankPayment = z.strictObject({
  bankTransactionId: Text(100),
  reference: Text(40),
  amount: MinorUnits.check(z.positive()),
  currency: z.enum(['CHF', 'EUR']),
  receivedAt: z.optional(z.iso.datetime()),
});

export interface BankPaymentAnswer {
  duplicate: boolean;
  matched: boolean;
  organizationId: string | null;
  paidInvoices: string[];
  partiallyPaidInvoices: string[];
  toPrepaidBalance: number;
  /** Products whose renewal the payment completed, now extended (R21). */
  renewedProducts: string[];
}

/** How often an import reads again when an invoice or the balance moved meanwhile. */
const ATTEMPTS = 6;

/**
 * The bank reconciliation import (a staff route stands for it): a payment is matched by its
 * reference to an invoice or a pro-forma's invoices; what matches no open invoice, or pays more
 * than is due, goes to the account's prepaid balance (R15). Each bank transaction counts once,
 * and a replay answers what the first recording answered. An invoice or a balance that moved
 * meanwhile (another payment at the same moment) is read again: the import never has to.
 */
export async function recordBankPayment(payment: z.infer<typeof BankPayment>): Promise<BankPaymentAnswer> {
  const reference = normalizeReference(payment.reference);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const match = await findByPaymentReference(reference);
    const owner = match?.invoice?.organizationId ?? match?.proForma?.organizationId;
    // A deleted account takes no money (R28): its payment is recorded unmatched, for accounting.
    const account = owner ? await getOrganization(owner) : undefined;
    const organizationId = account && !account.deletedAt ? account.organizationId : null;
    const targets = !organizationId
      ? // Stryker disable next-line ArrayDeclaration: equivalent — only open invoices are settled, and a string is none
        []
      : match?.invoice
        ? await Promise.all([getInvoice(organizationId, match.invoice.invoiceId)])
        : await Promise.all((match?.proForma?.invoiceIds ?? []).map((id) => getInvoice(organizationId, id)));
    if (organizationId && account && account.currency !== payment.currency) {
      throw new Conflict(`The account bills in ${account.currency}; record this payment by hand.`);
    }
    let left = payment.amount;
    const settles: { invoice: Invoice; amount: number }[] = [];
    for (const invoice of targets.filter((i): i is Invoice => i?.status === 'open')) {
      const amount = Math.min(left, remaining(invoice));
      if (amount <= 0) break;
      settles.push({ invoice, amount });
      left -= amount;
    }
    const completed = settles.filter(({ invoice, amount }) => invoice.amountPaid + amount >= invoice.total);
    const renewed = await renewedProducts(completed.map((s) => s.invoice));
    const toBalance =
      organizationId && account && left > 0
        ? {
            before: account.prepaidBalance,
            entry: newLedgerEntry(
              left,
              account.currency,
              settles.length ? 'overpayment' : 'bank-payment',
              account.prepaidBalance + left,
              reference,
            ),
          }
        : undefined;
    const answer: BankPaymentAnswer = {
      duplicate: false,
      matched: organizationId !== null,
      organizationId,
      paidInvoices: completed.map(({ invoice }) => invoice.invoiceId),
      partiallyPaidInvoices: settles
        .filter((s) => !completed.includes(s))
        .map(({ invoice }) => invoice.invoiceId),
      toPrepaidBalance: toBalance?.entry.amount ?? 0,
      renewedProducts: renewed.map(({ after }) => after.productId),
    };
    const outcome = await commitPayment({
      bankTransactionId: payment.bankTransactionId,
      organizationId,
      amount: payment.amount,
      currency: payment.currency,
      reference,
      settles,
      ...(toBalance ? { toBalance } : {}),
      renewed,
      receivedAt: payment.receivedAt ?? new Date().toISOString(),
      answer: { ...answer },
    });
    if (outcome === 'recorded') {
      count('InvoicesPaid', answer.paidInvoices.length, organizationId ? { organizationId } : {});
      return answer;
    }
    if (outcome === 'duplicate') {
      return { ...(await getPaymentAnswer<BankPaymentAnswer>(payment.bankTransactionId)), duplicate: true };
    }
  }
  throw new Conflict('The invoices of this payment keep changing; record it again in a moment.');
}
