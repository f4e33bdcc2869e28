import * as z from 'zod';
import { addDays, termEnd, today } from '../dates.ts';
import type { Invoice } from '../entities/invoice.ts';
import { Conflict, NotFound, ValidationFailed } from '../errors.ts';
import type { Caller } from '../http.ts';
import { logger } from '../logger.ts';
import { MinorUnits } from '../money.ts';
import { normalizeReference } from '../payment-reference.ts';
import { DEFAULT_STAGES, nextStage } from '../reminders.ts';
import { dueForRenewal } from '../renewals.ts';
import {
  commitPayment,
  extendProduct,
  findByPaymentReference,
  getAccountForBilling,
  getInvoice,
  listInvoices,
  newLedgerEntry,
} from '../repositories/invoices.ts';
import { getProduct, listProducts } from '../repositories/products.ts';
import { requireBilling } from './organizations.ts';

export const remaining = (invoice: Invoice) => invoice.total - invoice.amountPaid;

// ---- History (R24) --------------------------------------------------------------------------

export const InvoiceQuery = z.strictObject({
  status: z.enum(['open', 'paid', 'void']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9_-]+$/, 'Not a cursor from a previous page.')
    .optional(),
});

export async function invoiceHistory(
  caller: Caller,
  organizationId: string,
  query: z.infer<typeof InvoiceQuery>,
) {
  await requireBilling(caller, organizationId);
  try {
    return await listInvoices(organizationId, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  } catch (error) {
    if (query.cursor && error instanceof SyntaxError) {
      throw new ValidationFailed([
        { pointer: '/query/cursor', detail: 'Not a cursor from a previous page.' },
      ]);
    }
    throw error;
  }
}

const decimal = (amount: number) => `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** *beyond* R24: the whole history as CSV, one line per invoice, amounts in currency units. */
export async function invoiceCsv(caller: Caller, organizationId: string, status?: Invoice['status']) {
  await requireBilling(caller, organizationId);
  const rows = [
    ['number', 'issued', 'due', 'status', 'currency', 'net', 'vat', 'total', 'paid', 'reference'],
  ];
  let cursor: string | undefined;
  do {
    const page = await listInvoices(organizationId, {
      limit: 100,
      ...(status ? { status } : {}),
      ...(cursor ? { cursor } : {}),
    });
    for (const i of page.items) {
      rows.push([
        i.number,
        i.issuedAt.slice(0, 10),
        i.dueOn,
        i.status,
        i.currency,
        decimal(i.net),
        decimal(i.vat),
        decimal(i.total),
        decimal(i.amountPaid),
        i.paymentReference,
      ]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function getAccountInvoice(caller: Caller, organizationId: string, invoiceId: string) {
  await requireBilling(caller, organizationId);
  const invoice = await getInvoice(organizationId, invoiceId);
  if (!invoice) throw new NotFound(`No invoice ${invoiceId}.`);
  return invoice;
}

// ---- To pay and pro-forma (R22, R23) --------------------------------------------------------

/** R23: the products due for renewal and the open invoices of the account. */
export async function toPay(caller: Caller, organizationId: string) {
  await requireBilling(caller, organizationId);
  const [products, open] = await Promise.all([
    listProducts(organizationId),
    listInvoices(organizationId, { status: 'open', limit: 100 }),
  ]);
  return {
    products: products.filter((p) => dueForRenewal(p, today())).map((p) => ({ ...p, renewalPrice: p.price })),
    invoices: open.items,
  };
}

// ---- Bank payments (R15), recorded by staff --------------------------------------------------

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
  const account = organizationId ? await getAccountForBilling(organizationId) : undefined;
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

/** A paid renewal invoice extends each of its products by one renewal period. */
async function extendPaidRenewals(settles: { invoice: Invoice; amount: number }[]) {
  for (const { invoice, amount } of settles) {
    if (invoice.kind !== 'renewal' || invoice.amountPaid + amount < invoice.total) continue;
    for (const line of invoice.lines) {
      if (!line.productId || !line.periodMonths) continue;
      const product = await getProduct(invoice.organizationId, line.productId);
      if (!product) continue;
      // The new term follows the old one, or starts today if the product had already expired.
      const [from = today()] = [addDays(product.expiresOn, 1), today()].sort().slice(-1);
      const expiresOn = termEnd(from, line.periodMonths);
      const account = await getAccountForBilling(invoice.organizationId);
      const extended = await extendProduct(
        invoice.organizationId,
        line.productId,
        invoice.invoiceId,
        expiresOn,
        nextStage(expiresOn, account?.reminderStages ?? DEFAULT_STAGES, addDays(today(), 1)),
      );
      logger.info('renewal applied', { productId: line.productId, extended });
    }
  }
}
