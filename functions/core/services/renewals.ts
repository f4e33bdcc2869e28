import type { Caller } from '../caller.ts';
import { CATALOG, lineDescription } from '../catalog.ts';
import { addDays, termEnd, today } from '../dates.ts';
import type { BillingAddress, PaymentMethod } from '../entities/billing.ts';
import type { Invoice, InvoiceLine } from '../entities/invoice.ts';
import type { Product } from '../entities/product.ts';
import { Conflict } from '../errors.ts';
import { type Currency, sum, vatOf } from '../money.ts';
import { DEFAULT_STAGES, nextStage } from '../reminders.ts';
import { getOrganization } from '../repositories/organizations.ts';
import { getProduct } from '../repositories/products.ts';
import { withoutRenewal } from '../repositories/renewal-release.ts';
import { commitRenewalInvoice } from '../repositories/renewals.ts';
import { numberedInvoice, withNextInvoiceNumber } from './invoicing.ts';

/**
 * Renewals (R21, R23): a product selected under "to pay" is invoiced at the catalog price for
 * one renewal period, once; paying that invoice extends the product.
 */
export function renewalLine(product: Product, currency: Currency): InvoiceLine {
  const entry = CATALOG[product.type];
  const gross = entry.pricePerMonth[currency] * product.renewalPeriodMonths;
  const vat = vatOf(gross, entry.vatRate);
  return {
    description: lineDescription(
      {
        productType: product.type,
        productName: product.name,
        periodMonths: product.renewalPeriodMonths,
        renewal: true,
      },
      'en',
    ),
    productId: product.productId,
    productType: product.type,
    productName: product.name,
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

/**
 * Every renewal produces an invoice (R21): one per selected product without one yet, so that a
 * product that leaves (terminated, transferred, released) voids only its own.
 */
export async function invoiceRenewals(
  caller: Caller,
  organizationId: string,
  products: Product[],
  currency: Currency,
  address: BillingAddress,
  paymentMethod: PaymentMethod,
): Promise<Invoice[]> {
  const invoices: Invoice[] = [];
  for (const product of products) {
    const lines = [renewalLine(product, currency)];
    const outcome = await withNextInvoiceNumber(async (number, counter) => {
      const invoice = numberedInvoice(
        {
          organizationId,
          kind: 'renewal',
          currency,
          lines,
          net: sum(lines.map((l) => l.net)),
          vat: sum(lines.map((l) => l.vat)),
          total: sum(lines.map((l) => l.total)),
          paymentMethod,
          billingAddress: address,
        },
        number,
      );
      const committed = await commitRenewalInvoice(invoice, counter, product.productId, caller.userId);
      return committed === 'ok'
        ? { ok: true as const, value: invoice }
        : { ok: false as const, reason: committed };
    });
    if (!outcome.ok)
      throw new Conflict('A selected product was invoiced or terminated meanwhile; reload "to pay".');
    invoices.push(outcome.value);
  }
  return invoices;
}

/**
 * The products a payment's completed renewal invoices extend (R21, R23), as read and as renewed:
 * one renewal period more, from the old term's end — or from today for a product that had
 * expired (R12, within its grace period: it is active again). A product that left (terminated,
 * transferred) no longer waits for the invoice and is not touched.
 */
export async function renewedProducts(
  completed: Invoice[],
  day = today(),
): Promise<{ before: Product; after: Product }[]> {
  const renewed: { before: Product; after: Product }[] = [];
  for (const invoice of completed.filter((i) => i.kind === 'renewal')) {
    const account = await getOrganization(invoice.organizationId);
    for (const line of invoice.lines) {
      if (!line.productId || !line.periodMonths) continue;
      const before = await getProduct(invoice.organizationId, line.productId);
      if (!before || before.openRenewalInvoiceId !== invoice.invoiceId || before.status === 'terminated')
        continue;
      // Stryker disable next-line UnaryOperator: equivalent — of two days, slice(1) and slice(-1) both keep the later
      const [from = day] = [addDays(before.expiresOn, 1), day].sort().slice(-1);
      const expiresOn = termEnd(from, line.periodMonths);
      const { nextReminder: _, ...rest } = withoutRenewal(before);
      // The new term starts its own reminders (R25).
      const next = nextStage(expiresOn, account?.reminderStages ?? DEFAULT_STAGES, addDays(day, 1));
      renewed.push({
        before,
        after: { ...rest, status: 'active', expiresOn, ...(next ? { nextReminder: next } : {}) },
      });
    }
  }
  return renewed;
}
