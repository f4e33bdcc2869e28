import * as z from 'zod';
import { type Invoice, newLedgerEntry } from '../entities/invoice.ts';
import { Conflict } from '../errors.ts';
import { MinorUnits } from '../money.ts';
import { normalizeReference } from '../payment-reference.ts';
import { findByPaymentReference, getInvoice } from '../repositories/invoices.ts';
import { getOrganization } from '../repositories/organizations.ts';
import { commitPayment } from '../repositories/payments.ts';
import { remaining } from './invoices.ts';
import { extendPaidRenewals } from './renewals.ts';

export const BankPayment = z.strictObject({
  bankTransactionId: z.string().trim().min(1).max(100),
  reference: z.string().trim().min(1).max(40),
  amount: MinorUnits.positive(),
  currency: z.enum(['CHF', 'EUR']),
  receivedAt: z.iso.datetime().optional(),
});

/**
 * The bank reconciliation import (a staff route stands for it): a payment is matched by its
 * reference to an invoice or a pro-forma's invoices; what matches no open invoice, or pays more
 * than is due, goes to the account's prepaid balance. Each bank transaction counts once.
 */
export async function recordBankPayment(payment: z.infer<typeof BankPayment>) {
  const reference = normalizeReference(payment.reference);
  const match = await findByPaymentReference(reference);
  const organizationId = match?.invoice?.organizationId ?? match?.proForma?.organizationId ?? null;
  const targets = match?.invoice
    ? [match.invoice]
    : match?.proForma
      ? ((
          await Promise.all(
            match.proForma.invoiceIds.map((id) => getInvoice(match.proForma?.organizationId ?? '', id)),
          )
        ).filter(Boolean) as Invoice[])
      : [];
  const account = organizationId ? await getOrganization(organizationId) : undefined;
  if (account && account.currency !== payment.currency) {
    throw new Conflict(`The account bills in ${account.currency}; record this payment by hand.`);
  }
  let left = payment.amount;
  const settles: { invoice: Invoice; amount: number }[] = [];
  for (const invoice of targets.filter((i) => i.status === 'open')) {
    const amount = Math.min(left, remaining(invoice));
    if (amount <= 0) break;
    settles.push({ invoice, amount });
    left -= amount;
  }
  const toBalance =
    account && left > 0
      ? newLedgerEntry(
          left,
          account.currency,
          settles.length ? 'overpayment' : 'bank-payment',
          account.prepaidBalance + left,
          reference,
        )
      : undefined;
  const outcome = await commitPayment({
    bankTransactionId: payment.bankTransactionId,
    organizationId,
    amount: payment.amount,
    currency: payment.currency,
    reference,
    settles,
    ...(toBalance ? { toBalance } : {}),
    receivedAt: payment.receivedAt ?? new Date().toISOString(),
  });
  if (outcome === 'changed') throw new Conflict('An invoice changed meanwhile; record the payment again.');
  if (outcome === 'recorded') await extendPaidRenewals(settles);
  return {
    duplicate: outcome === 'duplicate',
    matched: organizationId !== null,
    organizationId,
    paidInvoices: settles
      .filter(({ invoice, amount }) => invoice.amountPaid + amount >= invoice.total)
      .map(({ invoice }) => invoice.invoiceId),
    partiallyPaidInvoices: settles
      .filter(({ invoice, amount }) => invoice.amountPaid + amount < invoice.total)
      .map(({ invoice }) => invoice.invoiceId),
    toPrepaidBalance: toBalance?.amount ?? 0,
  };
}
