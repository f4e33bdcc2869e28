import * as z from 'zod/mini';
import type { Caller } from '../caller.ts';
import { addDays, today } from '../dates.ts';
import { renderDocument } from '../documents/pdf.ts';
import type { Invoice, ProForma } from '../entities/invoice.ts';
import type { Product } from '../entities/product.ts';
import { Conflict, ValidationFailed } from '../errors.ts';
import { newId } from '../ids.ts';
import { sum } from '../money.ts';
import { creditorReference } from '../payment-reference.ts';
import { defaultAddressFor } from '../repositories/billing.ts';
import { nextProFormaNumber } from '../repositories/counters.ts';
import { presignDownload } from '../repositories/document-urls.ts';
import { writeObject } from '../repositories/documents.ts';
import { invoicesById, putProForma, readForProForma } from '../repositories/invoices.ts';
import { ProductId, Ulid } from '../schemas.ts';
import { PAYMENT_TERM_DAYS } from '../seller.ts';
import { getAccountInvoice, remaining } from './invoices.ts';
import { languageOf } from './me.ts';
import { accountFound, billingMemberOf } from './organizations.ts';
import { invoiceRenewals } from './renewals.ts';

/** How long a document URL is valid (R22: minutes). */
const DOCUMENT_URL_SECONDS = 300;

/** The lines of the invoices a document shows, each knowing whether it renews a product. */
const linesOf = (invoices: Invoice[]) =>
  invoices.flatMap((i) => i.lines.map((line) => ({ ...line, renewal: i.kind === 'renewal' })));

// ---- Final invoice (R21) --------------------------------------------------------------------

/** R21: a final invoice can be downloaded or printed only once paid (409 before). */
export async function finalInvoiceDocument(caller: Caller, organizationId: string, invoiceId: string) {
  const invoice = await getAccountInvoice(caller, organizationId, invoiceId);
  if (invoice.status !== 'paid') {
    throw new Conflict(
      `Invoice ${invoice.number} is ${invoice.status}: the final invoice is available once it is paid. A pro-forma can be printed before.`,
    );
  }
  const language = await languageOf(caller.userId);
  const key = `invoices/${organizationId}/${invoiceId}.${language}.pdf`;
  const pdf = await renderDocument({
    // Stryker disable next-line StringLiteral: equivalent — the renderer titles every document but a pro-forma an invoice
    kind: 'invoice',
    language,
    number: invoice.number,
    // Stryker disable next-line MethodExpression: equivalent — formatDay prints the day of a timestamp
    issuedOn: invoice.issuedAt.slice(0, 10),
    dueOn: invoice.dueOn,
    currency: invoice.currency,
    billingAddress: invoice.billingAddress,
    lines: linesOf([invoice]),
    net: invoice.net,
    vat: invoice.vat,
    total: invoice.total,
    amountDue: 0,
    paymentReference: invoice.paymentReference,
    paymentMethod: invoice.paymentMethod,
    // Stryker disable next-line MethodExpression: equivalent — formatDay prints the day of a timestamp
    ...(invoice.paidAt ? { paidOn: invoice.paidAt.slice(0, 10) } : {}),
  });
  await writeObject(key, pdf, 'application/pdf');
  return { url: await presignDownload(key, DOCUMENT_URL_SECONDS), expiresInSeconds: DOCUMENT_URL_SECONDS };
}

// ---- Pro-forma (R22, R23) -------------------------------------------------------------------

export const ProFormaRequest = z
  .strictObject({
    productIds: z._default(z.array(ProductId).check(z.maxLength(50)), []),
    invoiceIds: z._default(z.array(Ulid).check(z.maxLength(50)), []),
    paymentMethod: z.enum(['iban', 'qr-bill'], {
      error: 'A pro-forma is available only for payment by bank transfer (iban) or QR-bill (qr-bill).',
    }),
    billingAddressId: z.optional(Ulid),
  })
  .check(
    z.refine((r) => r.productIds.length + r.invoiceIds.length > 0, {
      message: 'Select at least one product or invoice.',
      path: ['productIds'],
    }),
  );

/**
 * R22/R23: a pro-forma for the selected products (renewal invoiced now) and open invoices,
 * payable by bank transfer or QR-bill, rendered into S3 and handed out for a few minutes.
 */
export async function createProForma(
  caller: Caller,
  organizationId: string,
  request: z.infer<typeof ProFormaRequest>,
) {
  // One request for the membership, the account, the address named, the products and invoices.
  const read = await readForProForma(organizationId, caller.userId, request);
  billingMemberOf(read.membership, organizationId);
  const account = accountFound(read.organization, organizationId);
  const chosen = request.billingAddressId
    ? read.address
    : await defaultAddressFor(account, read.defaultAddress);
  if (request.billingAddressId && !chosen) {
    throw new ValidationFailed([
      { pointer: '/body/billingAddressId', detail: 'No such billing address on this account.' },
    ]);
  }

  const { products } = read;
  const problems = request.productIds.flatMap((id, i) => {
    const p = products[i];
    if (!p) return [{ pointer: `/body/productIds/${i}`, detail: `No product ${id} in this account.` }];
    if (p.status === 'terminated')
      return [{ pointer: `/body/productIds/${i}`, detail: 'This product is terminated.' }];
    return [];
  });
  const { invoices } = read;
  request.invoiceIds.forEach((id, i) => {
    const invoice = invoices[i];
    if (!invoice)
      problems.push({ pointer: `/body/invoiceIds/${i}`, detail: `No invoice ${id} in this account.` });
    else if (invoice.status !== 'open')
      problems.push({ pointer: `/body/invoiceIds/${i}`, detail: `Invoice is ${invoice.status}.` });
  });
  if (problems.length) throw new ValidationFailed(problems);

  // R20: the address chosen, else the account's default, else the one the invoices were issued to.
  const address = chosen ?? (invoices as Invoice[])[0]?.billingAddress;
  if (!address) {
    throw new ValidationFailed([
      { pointer: '/body/billingAddressId', detail: 'Choose a billing address first.' },
    ]);
  }
  const covered = new Map((invoices as Invoice[]).map((i) => [i.invoiceId, i]));
  const toInvoice: Product[] = [];
  // The renewal invoices the products wait on, in one request.
  const waiting = await invoicesById(
    organizationId,
    (products as Product[]).flatMap((p) => (p.openRenewalInvoiceId ? [p.openRenewalInvoiceId] : [])),
  );
  for (const product of products as Product[]) {
    const open = product.openRenewalInvoiceId ? waiting.get(product.openRenewalInvoiceId) : undefined;
    if (open?.status === 'open') covered.set(open.invoiceId, open);
    else toInvoice.push(product);
  }
  if (toInvoice.length) {
    const renewals = await invoiceRenewals(
      caller,
      organizationId,
      toInvoice,
      account.currency,
      address,
      request.paymentMethod,
    );
    for (const renewal of renewals) covered.set(renewal.invoiceId, renewal);
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
    language: await languageOf(caller.userId),
    number: proForma.number,
    issuedOn: today(now),
    dueOn: proForma.dueOn,
    currency: proForma.currency,
    billingAddress: address,
    lines: linesOf(list),
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
