import { type Invoice, invoiceItem } from '../entities/invoice.ts';
import { productKeys } from '../entities/product.ts';
import { invoiceCounterStep } from './counters.ts';
import { auditEntry, TABLE_NAME, transact } from './table.ts';

/**
 * Access pattern: issue a renewal invoice (R21, R23) — one transaction: the invoice with its
 * gap-free number, and its product marked with it (only if it has no open renewal yet, and
 * is not terminated).
 */
export async function commitRenewalInvoice(
  invoice: Invoice,
  counter: number,
  productId: string,
  actorId: string,
): Promise<'ok' | 'counter' | 'product'> {
  const result = await transact([
    { item: { Put: { TableName: TABLE_NAME, Item: invoiceItem.toItem(invoice) } } },
    // R22: gap-free numbering.
    { item: invoiceCounterStep(counter) },
    {
      label: 'product',
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: productKeys(invoice.organizationId, productId),
          UpdateExpression: 'SET openRenewalInvoiceId = :invoice',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(openRenewalInvoiceId) AND #status <> :terminated',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':invoice': invoice.invoiceId, ':terminated': 'terminated' },
        },
      },
    },
    {
      item: auditEntry(invoice.organizationId, actorId, 'renewal.invoiced', { invoiceId: invoice.invoiceId }),
    },
  ]);
  if (result.ok) return 'ok';
  // Stryker disable next-line StringLiteral: equivalent — the caller retries on 'counter' and refuses anything else
  return result.failed.includes('product') ? 'product' : 'counter';
}
