import type { Caller } from '../caller.ts';
import { CATALOG } from '../catalog.ts';
import { addDays, termEnd, today } from '../dates.ts';
import type { BillingAddress, PaymentMethod } from '../entities/billing.ts';
import type { Invoice, InvoiceLine } from '../entities/invoice.ts';
import type { Product } from '../entities/product.ts';
import { Conflict } from '../errors.ts';
import { logger } from '../logger.ts';
import { type Currency, sum, vatOf } from '../money.ts';
import { DEFAULT_STAGES, nextStage } from '../reminders.ts';
import { getOrganization } from '../repositories/organizations.ts';
import { getProduct } from '../repositories/products.ts';
import { commitRenewalInvoice, extendProduct } from '../repositories/renewals.ts';
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
export async function invoiceRenewals(
  caller: Caller,
  organizationId: string,
  products: Product[],
  currency: Currency,
  address: BillingAddress,
  paymentMethod: PaymentMethod,
): Promise<Invoice> {
  const lines = products.map((p) => renewalLine(p, currency));
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
    const committed = await commitRenewalInvoice(
      invoice,
      counter,
      products.map((p) => p.productId),
      caller.userId,
    );
    return committed === 'ok'
      ? { ok: true as const, value: invoice }
      : { ok: false as const, reason: committed };
  });
  if (!outcome.ok) throw new Conflict('A selected product was invoiced meanwhile; reload "to pay".');
  return outcome.value;
}

/** A paid renewal invoice extends each of its products by one renewal period. */
export async function extendPaidRenewals(settles: { invoice: Invoice; amount: number }[]) {
  for (const { invoice, amount } of settles) {
    if (invoice.kind !== 'renewal' || invoice.amountPaid + amount < invoice.total) continue;
    for (const line of invoice.lines) {
      if (!line.productId || !line.periodMonths) continue;
      const product = await getProduct(invoice.organizationId, line.productId);
      if (!product) continue;
      // The new term follows the old one, or starts today if the product had already expired.
      const [from = today()] = [addDays(product.expiresOn, 1), today()].sort().slice(-1);
      const expiresOn = termEnd(from, line.periodMonths);
      const account = await getOrganization(invoice.organizationId);
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
