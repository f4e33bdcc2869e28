import { z } from 'zod';
import { CATALOG } from '../catalog.ts';
import { addDays, termEnd, today } from '../dates.ts';
import { renderDocument } from '../documents/pdf.ts';
import type { BillingAddress, PaymentMethod } from '../entities/billing.ts';
import type { Invoice, InvoiceLine, ProForma } from '../entities/invoice.ts';
import type { Product } from '../entities/product.ts';
import { Conflict, NotFound, ValidationFailed } from '../errors.ts';
import type { Caller } from '../http.ts';
import { newId } from '../ids.ts';
import { logger } from '../logger.ts';
import { type Currency, MinorUnits, sum, vatOf } from '../money.ts';
import { creditorReference, normalizeReference } from '../payment-reference.ts';
import { DEFAULT_STAGES, nextStage } from '../reminders.ts';
import { getAddress } from '../repositories/billing.ts';
import { presignDownload, writeObject } from '../repositories/documents.ts';
import {
  commitPayment,
  commitRenewalInvoice,
  extendProduct,
  findByPaymentReference,
  getAccountForBilling,
  getInvoice,
  listInvoices,
  newLedgerEntry,
  nextProFormaNumber,
  putProForma,
  readCounter,
} from '../repositories/invoices.ts';
import { getProduct, listProducts } from '../repositories/products.ts';
import { PAYMENT_TERM_DAYS } from '../seller.ts';
import { requireBilling } from './organizations.ts';

/** How long a document URL is valid (R22: minutes). */
const DOCUMENT_URL_SECONDS = 300;
/** Products whose term ends within this many days are "to pay" (R23). */
const RENEWAL_WINDOW_DAYS = 60;

const remaining = (invoice: Invoice) => invoice.total - invoice.amountPaid;

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

/** R21: a final invoice can be downloaded or printed only once paid (409 before). */
export async function finalInvoiceDocument(caller: Caller, organizationId: string, invoiceId: string) {
  const invoice = await getAccountInvoice(caller, organizationId, invoiceId);
  if (invoice.status !== 'paid') {
    throw new Conflict(
      `Invoice ${invoice.number} is ${invoice.status}: the final invoice is available once it is paid. A pro-forma can be printed before.`,
    );
  }
  const key = `invoices/${organizationId}/${invoiceId}.pdf`;
  const pdf = await renderDocument({
    kind: 'invoice',
    number: invoice.number,
    issuedOn: invoice.issuedAt.slice(0, 10),
    dueOn: invoice.dueOn,
    currency: invoice.currency,
    billingAddress: invoice.billingAddress,
    lines: invoice.lines,
    net: invoice.net,
    vat: invoice.vat,
    total: invoice.total,
    amountDue: 0,
    paymentReference: invoice.paymentReference,
    paymentMethod: invoice.paymentMethod,
    ...(invoice.paidAt ? { paidOn: invoice.paidAt.slice(0, 10) } : {}),
  });
  await writeObject(key, pdf, 'application/pdf');
  return { url: await presignDownload(key, DOCUMENT_URL_SECONDS), expiresInSeconds: DOCUMENT_URL_SECONDS };
}

// ---- To pay and pro-forma (R22, R23) --------------------------------------------------------

/** R23: the products due for renewal and the open invoices of the account. */
export async function toPay(caller: Caller, organizationId: string) {
  await requireBilling(caller, organizationId);
  const horizon = addDays(today(), RENEWAL_WINDOW_DAYS);
  const [products, open] = await Promise.all([
    listProducts(organizationId),
    listInvoices(organizationId, { status: 'open', limit: 100 }),
  ]);
  return {
    products: products
      .filter((p) => p.status !== 'terminated' && p.expiresOn <= horizon)
      .map((p) => ({ ...p, renewalPrice: p.price })),
    invoices: open.items,
  };
}

export const ProFormaRequest = z
  .strictObject({
    productIds: z
      .array(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Expected a product id.'))
      .max(50)
      .default([]),
    invoiceIds: z
      .array(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Expected an invoice id.'))
      .max(50)
      .default([]),
    paymentMethod: z.enum(['iban', 'qr-bill'], {
      error: 'A pro-forma is available only for payment by bank transfer (iban) or QR-bill (qr-bill).',
    }),
    billingAddressId: z
      .string()
      .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)
      .optional(),
  })
  .refine((r) => r.productIds.length + r.invoiceIds.length > 0, {
    message: 'Select at least one product or invoice.',
    path: ['productIds'],
  });

function renewalLine(product: Product, currency: Currency): InvoiceLine {
  const entry = CATALOG[product.type];
  const gross = entry.pricePerMonth[currency] * product.renewalPeriodMonths;
  const vat = vatOf(gross, entry.vatRate);
  return {
    description: `Renewal ${entry.label} ${product.name}, ${product.renewalPeriodMonths} months`,
    productId: product.productId,
    productType: product.type,
    periodMonths: product.renewalPeriodMonths,
    gross,
    creditDiscount: 0,
    promoDiscount: 0,
    net: gross,
    vatRate: entry.vatRate,
    vat,
    total: gross + vat,
  };
}

/** Every renewal produces an invoice (R21): one for the selected products without one yet. */
async function invoiceRenewals(
  caller: Caller,
  organizationId: string,
  products: Product[],
  currency: Currency,
  address: BillingAddress,
  paymentMethod: PaymentMethod,
): Promise<Invoice> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const counter = await readCounter('invoice');
    const number = counter + 1;
    const lines = products.map((p) => renewalLine(p, currency));
    const now = new Date();
    const invoice: Invoice = {
      invoiceId: newId(),
      organizationId,
      number: `INV-${String(number).padStart(8, '0')}`,
      kind: 'renewal',
      status: 'open',
      currency,
      lines,
      net: sum(lines.map((l) => l.net)),
      vat: sum(lines.map((l) => l.vat)),
      total: sum(lines.map((l) => l.total)),
      amountPaid: 0,
      paymentMethod,
      paymentReference: creditorReference(`INV${String(number).padStart(8, '0')}`),
      billingAddress: address,
      issuedAt: now.toISOString(),
      dueOn: addDays(today(now), PAYMENT_TERM_DAYS),
    };
    const outcome = await commitRenewalInvoice(
      invoice,
      counter,
      products.map((p) => p.productId),
      caller.userId,
    );
    if (outcome === 'ok') return invoice;
    if (outcome === 'product')
      throw new Conflict('A selected product was invoiced meanwhile; reload "to pay".');
  }
  throw new Conflict('The invoice sequence is busy; try again.');
}

/**
 * R22/R23: a pro-forma for the selected products (renewal invoiced now) and open invoices,
 * payable by bank transfer or QR-bill, rendered into S3 and handed out for a few minutes.
 */
export async function createProForma(
  caller: Caller,
  organizationId: string,
  request: z.infer<typeof ProFormaRequest>,
) {
  await requireBilling(caller, organizationId);
  const account = await getAccountForBilling(organizationId);
  if (!account) throw new NotFound(`No customer account ${organizationId}.`);
  const addressId = request.billingAddressId ?? account.defaultBillingAddressId;
  const address = addressId ? await getAddress(organizationId, addressId) : undefined;
  if (!address) {
    throw new ValidationFailed([
      { pointer: '/body/billingAddressId', detail: 'Choose a billing address first.' },
    ]);
  }

  const products = await Promise.all(request.productIds.map((id) => getProduct(organizationId, id)));
  const problems = request.productIds.flatMap((id, i) => {
    const p = products[i];
    if (!p) return [{ pointer: `/body/productIds/${i}`, detail: `No product ${id} in this account.` }];
    if (p.status === 'terminated')
      return [{ pointer: `/body/productIds/${i}`, detail: 'This product is terminated.' }];
    return [];
  });
  const invoices = await Promise.all(request.invoiceIds.map((id) => getInvoice(organizationId, id)));
  request.invoiceIds.forEach((id, i) => {
    const invoice = invoices[i];
    if (!invoice)
      problems.push({ pointer: `/body/invoiceIds/${i}`, detail: `No invoice ${id} in this account.` });
    else if (invoice.status !== 'open')
      problems.push({ pointer: `/body/invoiceIds/${i}`, detail: `Invoice is ${invoice.status}.` });
  });
  if (problems.length) throw new ValidationFailed(problems);

  const covered = new Map((invoices as Invoice[]).map((i) => [i.invoiceId, i]));
  const toInvoice: Product[] = [];
  for (const product of products as Product[]) {
    const open = product.openRenewalInvoiceId
      ? await getInvoice(organizationId, product.openRenewalInvoiceId)
      : undefined;
    if (open && open.status === 'open') covered.set(open.invoiceId, open);
    else toInvoice.push(product);
  }
  if (toInvoice.length) {
    const renewal = await invoiceRenewals(
      caller,
      organizationId,
      toInvoice,
      account.currency,
      address,
      request.paymentMethod,
    );
    covered.set(renewal.invoiceId, renewal);
  }

  const list = [...covered.values()];
  const number = await nextProFormaNumber();
  const now = new Date();
  const proForma: ProForma = {
    proFormaId: newId(),
    organizationId,
    number: `PF-${String(number).padStart(8, '0')}`,
    invoiceIds: list.map((i) => i.invoiceId),
    currency: account.currency,
    total: sum(list.map(remaining)),
    paymentMethod: request.paymentMethod,
    paymentReference: creditorReference(`PF${String(number).padStart(8, '0')}`),
    documentKey: `pro-forma/${organizationId}/${newId()}.pdf`,
    issuedAt: now.toISOString(),
    dueOn: list.map((i) => i.dueOn).sort()[0] ?? addDays(today(now), PAYMENT_TERM_DAYS),
  };
  const pdf = await renderDocument({
    kind: 'pro-forma',
    number: proForma.number,
    issuedOn: today(now),
    dueOn: proForma.dueOn,
    currency: proForma.currency,
    billingAddress: address,
    lines: list.flatMap((i) => i.lines),
    net: sum(list.map((i) => i.net)),
    vat: sum(list.map((i) => i.vat)),
    total: sum(list.map((i) => i.total)),
    amountDue: proForma.total,
    paymentReference: proForma.paymentReference,
    paymentMethod: proForma.paymentMethod,
    covers: list.map((i) => i.number),
  });
  await writeObject(proForma.documentKey, pdf, 'application/pdf');
  await putProForma(proForma);
  return {
    proForma,
    url: await presignDownload(proForma.documentKey, DOCUMENT_URL_SECONDS),
    expiresInSeconds: DOCUMENT_URL_SECONDS,
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
