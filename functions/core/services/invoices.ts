import { stringify } from 'csv-stringify/sync';
import type { Caller } from '../caller.ts';
import { today } from '../dates.ts';
import { type Invoice, invoiceItem, invoiceKeys } from '../entities/invoice.ts';
import { dueForRenewal } from '../renewals.ts';
import { listInvoices, listOpenInvoices } from '../repositories/invoices.ts';
import { listProducts } from '../repositories/products.ts';
import { authorizedTarget, billingMemberOf, requireBilling } from './organizations.ts';

export const remaining = (invoice: Invoice) => invoice.total - invoice.amountPaid;

const decimal = (amount: number) => `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;

/** *beyond* R24: the whole history as CSV, one line per invoice, amounts in currency units. */
export async function invoiceCsv(caller: Caller, organizationId: string, status?: Invoice['status']) {
  await requireBilling(caller, organizationId);
  const rows = [
    ['number', 'issued', 'due', 'status', 'currency', 'net', 'vat', 'total', 'paid', 'reference'],
  ];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await listInvoices(organizationId, {
      limit: 100,
      ...(status ? { status } : {}),
      ...(start ? { start } : {}),
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
    start = page.lastKey;
  } while (start);
  // RFC 4180, and no cell a spreadsheet would run as a formula (=, +, -, @ at its start).
  // Stryker disable next-line BooleanLiteral: equivalent today — no cell holds text a customer typed; kept for when one does
  return stringify(rows, { record_delimiter: 'windows', escape_formulas: true });
}

export async function getAccountInvoice(caller: Caller, organizationId: string, invoiceId: string) {
  const { target } = await authorizedTarget(caller, organizationId, billingMemberOf, {
    key: invoiceKeys(organizationId, invoiceId),
    decode: invoiceItem.fromItem,
    missing: `No invoice ${invoiceId}.`,
  });
  return target;
}

// ---- To pay and pro-forma (R22, R23) --------------------------------------------------------

/** R23: the products due for renewal and the open invoices of the account. */
export async function toPay(caller: Caller, organizationId: string) {
  await requireBilling(caller, organizationId);
  const [products, open] = await Promise.all([
    listProducts(organizationId),
    listOpenInvoices(organizationId),
  ]);
  return {
    products: products.filter((p) => dueForRenewal(p, today())).map((p) => ({ ...p, renewalPrice: p.price })),
    invoices: open,
  };
}
