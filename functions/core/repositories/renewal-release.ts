import { type Invoice, invoiceKeys, type LedgerEntry } from '../entities/invoice.ts';
import type { Product } from '../entities/product.ts';
import { balanceMove } from './balance.ts';
import { TABLE_NAME, type TransactItem } from './table.ts';

/**
 * A product leaves its account's hands — terminated (R14), transferred (R13) or released after
 * its grace period (R12) — while a renewal invoice waits for it: the invoice is voided, and what
 * was paid on it goes to the account's prepaid balance (R18), from the balance read.
 */
export interface RenewalRelease {
  invoice: Invoice;
  refund?: { before: number; entry: LedgerEntry };
}

/** The items that void the invoice (only while as read) and refund its payments. */
export function renewalVoid(release: RenewalRelease): { item: TransactItem }[] {
  const { invoice } = release;
  return [
    {
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: invoiceKeys(invoice.organizationId, invoice.invoiceId),
          // Void: it leaves the open-invoice index.
          UpdateExpression: 'SET #status = :void REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#status = :open AND amountPaid = :paid',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':void': 'void', ':open': 'open', ':paid': invoice.amountPaid },
        },
      },
    },
    ...(release.refund
      ? balanceMove(invoice.organizationId, release.refund.before, release.refund.entry)
      : // Stryker disable next-line ArrayDeclaration: equivalent — a string's item is undefined, which the SDK leaves out of the request
        []),
  ];
}

/** The product without its waiting renewal (the invoice was voided, or paid). */
export function withoutRenewal(product: Product): Product {
  const { openRenewalInvoiceId: _, ...rest } = product;
  return rest;
}
