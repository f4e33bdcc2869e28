import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import {
  bankPaymentItem,
  type Invoice,
  invoiceKeys,
  LEDGER_PREFIX,
  type LedgerEntry,
  ledgerItem,
  withdrawalItem,
} from '../entities/invoice.ts';
import { accountPartition } from '../entities/item.ts';
import { organizationKeys } from '../entities/organization.ts';
import { auditEntry, TABLE_NAME, transact } from './table.ts';

export interface PaymentCommit {
  bankTransactionId: string;
  organizationId: string | null;
  amount: number;
  currency: string;
  reference: string;
  /** Invoices this payment settles or pays in part, with the amount each receives. */
  settles: { invoice: Invoice; amount: number }[];
  /** What goes to the prepaid balance (unmatched or overpaid, R15). */
  toBalance?: LedgerEntry;
  receivedAt: string;
}

/**
 * Access pattern: record a bank payment — one transaction: the payment (once per bank
 * transaction id), each invoice it pays (only while open), the prepaid credit with its ledger
 * entry. Returns false when the bank transaction was already recorded.
 */
export async function commitPayment(payment: PaymentCommit): Promise<'recorded' | 'duplicate' | 'changed'> {
  const now = new Date().toISOString();
  const result = await transact([
    {
      label: 'payment',
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: bankPaymentItem.toItem({
            bankTransactionId: payment.bankTransactionId,
            organizationId: payment.organizationId,
            amount: payment.amount,
            currency: payment.currency as LedgerEntry['currency'],
            reference: payment.reference,
            receivedAt: payment.receivedAt,
            matched: payment.organizationId !== null,
            invoiceIds: payment.settles.map((s) => s.invoice.invoiceId),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    ...payment.settles.map(({ invoice, amount }) => {
      const paid = invoice.amountPaid + amount >= invoice.total;
      return {
        label: 'invoice',
        item: {
          Update: {
            TableName: TABLE_NAME,
            Key: invoiceKeys(invoice.organizationId, invoice.invoiceId),
            UpdateExpression: paid
              ? 'SET amountPaid = amountPaid + :amount, #status = :paid, paidAt = :now'
              : 'SET amountPaid = amountPaid + :amount',
            ConditionExpression: '#status = :open AND amountPaid = :before',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':amount': amount,
              ':open': 'open',
              ':before': invoice.amountPaid,
              ...(paid ? { ':paid': 'paid', ':now': now } : {}),
            },
          },
        },
      };
    }),
    ...(payment.toBalance && payment.organizationId
      ? [
          {
            label: 'balance',
            item: {
              Update: {
                TableName: TABLE_NAME,
                Key: organizationKeys(payment.organizationId),
                UpdateExpression: 'SET prepaidBalance = if_not_exists(prepaidBalance, :zero) + :amount',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':zero': 0, ':amount': payment.toBalance.amount },
              },
            },
          },
          {
            label: 'ledger',
            item: {
              Put: {
                TableName: TABLE_NAME,
                Item: ledgerItem(payment.organizationId).toItem(payment.toBalance),
              },
            },
          },
        ]
      : []),
  ]);
  if (result.ok) return 'recorded';
  return result.failed.includes('payment') ? 'duplicate' : 'changed';
}

/** Access pattern: an account's ledger, newest first — Query sk begins_with LEDGER#, limited. */
export async function listLedger(organizationId: string, limit: number): Promise<LedgerEntry[]> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ledger)',
      ExpressionAttributeValues: { ':pk': accountPartition(organizationId), ':ledger': LEDGER_PREFIX },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return Items.map(ledgerItem(organizationId).fromItem);
}

/**
 * Access pattern: withdraw from the prepaid balance (R18) — one transaction: the balance goes
 * down only if it covers the amount, with its ledger entry and the withdrawal request.
 */
export async function commitWithdrawal(
  organizationId: string,
  entry: LedgerEntry,
  payout: { iban: string; accountHolder: string; requestedBy: string },
): Promise<boolean> {
  const result = await transact([
    {
      label: 'balance',
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: organizationKeys(organizationId),
          UpdateExpression: 'SET prepaidBalance = prepaidBalance - :amount',
          // R18: a withdrawal never takes the balance below zero.
          ConditionExpression: 'prepaidBalance >= :amount',
          ExpressionAttributeValues: { ':amount': -entry.amount },
        },
      },
    },
    {
      label: 'ledger',
      item: { Put: { TableName: TABLE_NAME, Item: ledgerItem(organizationId).toItem(entry) } },
    },
    {
      label: 'withdrawal',
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: withdrawalItem(organizationId).toItem({
            entryId: entry.entryId,
            status: 'requested',
            amount: -entry.amount,
            currency: entry.currency,
            ...payout,
            at: entry.at,
          }),
        },
      },
    },
    {
      label: 'audit',
      item: auditEntry(organizationId, payout.requestedBy, 'prepaid.withdrawn', { amount: -entry.amount }),
    },
  ]);
  return result.ok;
}
