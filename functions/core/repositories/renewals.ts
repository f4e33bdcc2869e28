import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { type Invoice, invoiceItem } from '../entities/invoice.ts';
import { productKeys } from '../entities/product.ts';
import { invoiceCounterStep } from './counters.ts';
import { dueValues } from './products.ts';
import { auditEntry, isConditionFailure, TABLE_NAME, transact } from './table.ts';

/**
 * Access pattern: issue a renewal invoice (R21, R23) — one transaction: the invoice with its
 * gap-free number, and each product marked with it (only if it has no open renewal yet).
 */
export async function commitRenewalInvoice(
  invoice: Invoice,
  counter: number,
  productIds: string[],
  actorId: string,
): Promise<'ok' | 'counter' | 'product'> {
  const result = await transact([
    { label: 'invoice', item: { Put: { TableName: TABLE_NAME, Item: invoiceItem.toItem(invoice) } } },
    { label: 'counter', item: invoiceCounterStep(counter) },
    ...productIds.map((productId) => ({
      label: 'product',
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: productKeys(invoice.organizationId, productId),
          UpdateExpression: 'SET openRenewalInvoiceId = :invoice',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(openRenewalInvoiceId)',
          ExpressionAttributeValues: { ':invoice': invoice.invoiceId },
        },
      },
    })),
    {
      label: 'audit',
      item: auditEntry(invoice.organizationId, actorId, 'renewal.invoiced', { invoiceId: invoice.invoiceId }),
    },
  ]);
  if (result.ok) return 'ok';
  return result.failed.includes('product') ? 'product' : 'counter';
}

/**
 * Access pattern: a paid renewal extends its product — UpdateItem, only while the product still
 * waits for that invoice (a retry changes nothing twice).
 */
export async function extendProduct(
  organizationId: string,
  productId: string,
  invoiceId: string,
  expiresOn: string,
  nextReminder: { stage: number; day: string } | undefined,
) {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: productKeys(organizationId, productId),
        // The new term starts its own reminders (R25).
        UpdateExpression: nextReminder
          ? 'SET expiresOn = :expiresOn, #status = :active, nextReminder = :next, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk REMOVE openRenewalInvoiceId'
          : 'SET expiresOn = :expiresOn, #status = :active REMOVE openRenewalInvoiceId, nextReminder, gsi2pk, gsi2sk',
        ConditionExpression: 'openRenewalInvoiceId = :invoice',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':expiresOn': expiresOn,
          ':active': 'active',
          ':invoice': invoiceId,
          ...(nextReminder ? dueValues({ organizationId, productId }, nextReminder.day, nextReminder) : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
