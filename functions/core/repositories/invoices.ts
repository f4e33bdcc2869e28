import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import type { BillingAddress, Credit, PromoCode } from '../entities/billing.ts';
import { creditKeys, promoAccountKeys, promoKeys } from '../entities/billing.ts';
import {
  bankPaymentKeys,
  counterKeys,
  type Invoice,
  invoiceKeys,
  type LedgerEntry,
  ledgerKeys,
  type ProForma,
  paymentReferenceKeys,
  proFormaKeys,
} from '../entities/invoice.ts';
import type { Membership } from '../entities/membership.ts';
import { type Organization, organizationKeys } from '../entities/organization.ts';
import { type Product, productKeys } from '../entities/product.ts';
import { newId } from '../ids.ts';
import { dueKeys, shardOf } from '../reminders.ts';
import { addressItem } from './billing.ts';
import { organizationCreation, toOrganization } from './organizations.ts';
import { productItem } from './products.ts';
import { auditEntry, TABLE_NAME, transact } from './table.ts';

type Item = Record<string, unknown>;
const strip = <T>(item: Item): T => {
  const { pk: _pk, sk: _sk, type: _t, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as unknown as T;
};

// ---- Counters -------------------------------------------------------------------------------

/** Access pattern: read a counter — GetItem COUNTER#<name> (consistent). */
export async function readCounter(name: 'invoice' | 'pro-forma'): Promise<number> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: TABLE_NAME, Key: counterKeys(name), ConsistentRead: true }),
  );
  return (Item?.value as number | undefined) ?? 0;
}

/**
 * The gap-free step of the invoice sequence: the counter moves from `current` to `current + 1`
 * in the same transaction that stores the invoice numbered `current + 1`, or not at all.
 */
function invoiceCounterStep(current: number) {
  return {
    Update: {
      TableName: TABLE_NAME,
      Key: counterKeys('invoice'),
      UpdateExpression: 'SET #value = :next',
      ConditionExpression: current === 0 ? 'attribute_not_exists(#value)' : '#value = :current',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues:
        current === 0 ? { ':next': 1 } : { ':next': current + 1, ':current': current },
    },
  };
}

/** Access pattern: next pro-forma number — UpdateItem ADD, returning the new value (own numbering, R22). */
export async function nextProFormaNumber(): Promise<number> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: counterKeys('pro-forma'),
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes?.value as number;
}

const invoiceItem = (invoice: Invoice) => ({
  ...invoiceKeys(invoice.organizationId, invoice.invoiceId),
  ...paymentReferenceKeys(invoice.paymentReference),
  type: 'Invoice',
  ...invoice,
});

const ledgerItem = (organizationId: string, entry: LedgerEntry) => ({
  ...ledgerKeys(organizationId, entry.entryId),
  type: 'LedgerEntry',
  ...entry,
});

// ---- Orders (R3, R15–R18, R20, R21) ---------------------------------------------------------

export interface OrderCommit {
  organization: Organization;
  /** Present when the order creates the account (R3). */
  founder?: Membership;
  /** A billing address given in the order, stored with it (R20). */
  newAddress?: BillingAddress;
  products: Product[];
  invoice: Invoice;
  /** The invoice counter's value this commit was numbered from. */
  counter: number;
  credits: Credit[];
  promo?: PromoCode;
  /** Paid from the prepaid balance (R18). */
  prepaid?: LedgerEntry;
  idempotency: { key: string; requestHash: string; response: unknown };
  actorId: string;
}

export type OrderFailure = 'counter' | 'credit' | 'promo-total' | 'promo-account' | 'balance' | 'idempotency';
export type OrderOutcome = { ok: true } | { ok: false; reason: OrderFailure };

/**
 * Access pattern: place an order — one transaction: the account (when the order creates it),
 * the address, the products, the invoice with its gap-free number, each credit consumed once,
 * the promo counters within their limits, the prepaid debit with its ledger entry, the
 * idempotency record and the audit entry. Any condition failing leaves nothing written.
 */
export async function commitOrder(order: OrderCommit): Promise<OrderOutcome> {
  const { organization: org, invoice } = order;
  const orgId = org.organizationId;
  const now = new Date();
  const orgUpdates: string[] = [];
  const orgConditions: string[] = ['attribute_exists(pk)'];
  const orgValues: Item = {};
  if (order.newAddress && !org.defaultBillingAddressId) {
    orgUpdates.push('defaultBillingAddressId = if_not_exists(defaultBillingAddressId, :address)');
    orgValues[':address'] = order.newAddress.addressId;
  }
  if (order.prepaid) {
    orgUpdates.push('prepaidBalance = prepaidBalance - :total');
    orgConditions.push('prepaidBalance >= :total');
    orgValues[':total'] = invoice.total;
  }
  const founded = order.founder
    ? organizationCreation(
        {
          ...org,
          ...(order.newAddress ? { defaultBillingAddressId: order.newAddress.addressId } : {}),
        },
        order.founder,
      )
    : [];
  const items = [
    ...founded,
    ...(!order.founder && orgUpdates.length
      ? [
          {
            label: 'balance',
            item: {
              Update: {
                TableName: TABLE_NAME,
                Key: organizationKeys(orgId),
                UpdateExpression: `SET ${orgUpdates.join(', ')}`,
                ConditionExpression: orgConditions.join(' AND '),
                ExpressionAttributeValues: orgValues,
              },
            },
          },
        ]
      : []),
    ...(order.newAddress
      ? [
          {
            label: 'address',
            item: { Put: { TableName: TABLE_NAME, Item: addressItem(orgId, order.newAddress) } },
          },
        ]
      : []),
    ...order.products.map((product) => ({
      label: 'product',
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: productItem(product),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    })),
    { label: 'invoice', item: { Put: { TableName: TABLE_NAME, Item: invoiceItem(invoice) } } },
    { label: 'counter', item: invoiceCounterStep(order.counter) },
    ...order.credits.map((credit) => ({
      label: 'credit',
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: creditKeys(orgId, credit.creditId),
          UpdateExpression: 'SET consumedByInvoice = :invoice',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(consumedByInvoice)',
          ExpressionAttributeValues: { ':invoice': invoice.invoiceId },
        },
      },
    })),
    ...(order.promo
      ? [
          {
            label: 'promo-total',
            item: {
              Update: {
                TableName: TABLE_NAME,
                Key: promoKeys(order.promo.code),
                UpdateExpression: 'ADD redemptions :one',
                ConditionExpression: 'redemptions < maxRedemptions AND validUntil > :now',
                ExpressionAttributeValues: { ':one': 1, ':now': now.toISOString() },
              },
            },
          },
          {
            label: 'promo-account',
            item: {
              Update: {
                TableName: TABLE_NAME,
                Key: promoAccountKeys(order.promo.code, orgId),
                UpdateExpression: 'ADD redemptions :one SET #type = :type',
                ConditionExpression: 'attribute_not_exists(redemptions) OR redemptions < :max',
                ExpressionAttributeNames: { '#type': 'type' },
                ExpressionAttributeValues: {
                  ':one': 1,
                  ':max': order.promo.maxPerAccount,
                  ':type': 'PromoRedemption',
                },
              },
            },
          },
        ]
      : []),
    ...(order.prepaid
      ? [
          {
            label: 'ledger',
            item: { Put: { TableName: TABLE_NAME, Item: ledgerItem(orgId, order.prepaid) } },
          },
        ]
      : []),
    {
      label: 'idempotency',
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: {
            pk: `IDEMPOTENCY#${order.actorId}#${order.idempotency.key}`,
            sk: 'ORDER',
            type: 'IdempotencyRecord',
            requestHash: order.idempotency.requestHash,
            response: JSON.stringify(order.idempotency.response),
            expiresAt: Math.floor(now.getTime() / 1000) + 24 * 3600,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    {
      label: 'audit',
      item: auditEntry(orgId, order.actorId, 'order.placed', {
        invoiceId: invoice.invoiceId,
        total: invoice.total,
      }),
    },
  ];
  const result = await transact(items);
  if (result.ok) return { ok: true };
  const precedence = ['idempotency', 'credit', 'promo-total', 'promo-account', 'balance', 'counter'] as const;
  const reason = precedence.find((r) => result.failed.includes(r)) ?? 'counter';
  return { ok: false, reason };
}

/** Access pattern: a stored order answer for an idempotency key — GetItem IDEMPOTENCY#<user>#<key>. */
export async function getIdempotencyRecord(actorId: string, key: string) {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: TABLE_NAME,
      Key: { pk: `IDEMPOTENCY#${actorId}#${key}`, sk: 'ORDER' },
      ConsistentRead: true,
    }),
  );
  return Item
    ? { requestHash: Item.requestHash as string, response: JSON.parse(Item.response as string) }
    : undefined;
}

// ---- Invoices (R21, R24) --------------------------------------------------------------------

/** Access pattern: one invoice — GetItem ORG#<id> / INVOICE#<id>. */
export async function getInvoice(organizationId: string, invoiceId: string): Promise<Invoice | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: TABLE_NAME,
      Key: invoiceKeys(organizationId, invoiceId),
      ConsistentRead: true,
    }),
  );
  return Item ? strip<Invoice>(Item) : undefined;
}

export interface InvoicePage {
  items: Invoice[];
  nextCursor: string | null;
}

/**
 * Access pattern: an account's invoices, newest first, optionally of one status — one Query
 * (sk begins_with INVOICE#, descending, a filter on status), paginated by an opaque cursor.
 */
export async function listInvoices(
  organizationId: string,
  options: { status?: string; limit: number; cursor?: string },
): Promise<InvoicePage> {
  const items: Invoice[] = [];
  let start = options.cursor
    ? (JSON.parse(Buffer.from(options.cursor, 'base64url').toString()) as Item)
    : undefined;
  // A filtered page may come back short; read on until the page is full or the list ends.
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: TABLE_NAME,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :invoice)',
        ...(options.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: {
          ':pk': `ORG#${organizationId}`,
          ':invoice': 'INVOICE#',
          ...(options.status ? { ':status': options.status } : {}),
        },
        ScanIndexForward: false,
        Limit: options.limit - items.length,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []).map((i) => strip<Invoice>(i)));
    start = page.LastEvaluatedKey;
  } while (start && items.length < options.limit);
  return { items, nextCursor: start ? Buffer.from(JSON.stringify(start)).toString('base64url') : null };
}

/** Access pattern: what a payment reference belongs to — Query GSI1 gsi1pk = PAYREF#<reference>. */
export async function findByPaymentReference(
  reference: string,
): Promise<{ invoice?: Invoice; proForma?: ProForma } | undefined> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: TABLE_NAME,
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :ref',
      ExpressionAttributeValues: { ':ref': `PAYREF#${reference}` },
    }),
  );
  const [item] = Items;
  if (!item) return undefined;
  return item.type === 'Invoice' ? { invoice: strip<Invoice>(item) } : { proForma: strip<ProForma>(item) };
}

// ---- Payments and the prepaid balance (R15, R18) ---------------------------------------------

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
          Item: {
            ...bankPaymentKeys(payment.bankTransactionId),
            type: 'BankPayment',
            bankTransactionId: payment.bankTransactionId,
            organizationId: payment.organizationId,
            amount: payment.amount,
            currency: payment.currency,
            reference: payment.reference,
            receivedAt: payment.receivedAt,
            matched: payment.organizationId !== null,
            invoiceIds: payment.settles.map((s) => s.invoice.invoiceId),
          },
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
              Put: { TableName: TABLE_NAME, Item: ledgerItem(payment.organizationId, payment.toBalance) },
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
      ExpressionAttributeValues: { ':pk': `ORG#${organizationId}`, ':ledger': 'LEDGER#' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return Items.map((i) => strip<LedgerEntry>(i));
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
          ConditionExpression: 'prepaidBalance >= :amount',
          ExpressionAttributeValues: { ':amount': -entry.amount },
        },
      },
    },
    { label: 'ledger', item: { Put: { TableName: TABLE_NAME, Item: ledgerItem(organizationId, entry) } } },
    {
      label: 'withdrawal',
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: {
            pk: `ORG#${organizationId}`,
            sk: `WITHDRAWAL#${entry.entryId}`,
            type: 'Withdrawal',
            status: 'requested',
            amount: -entry.amount,
            currency: entry.currency,
            ...payout,
            at: entry.at,
          },
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

/** Access pattern: the current account item, for balances — GetItem (consistent). */
export async function getAccountForBilling(organizationId: string): Promise<Organization | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: TABLE_NAME, Key: organizationKeys(organizationId), ConsistentRead: true }),
  );
  return Item ? toOrganization(Item) : undefined;
}

// ---- Pro-formas (R22) -----------------------------------------------------------------------

/** Access pattern: store a pro-forma — PutItem ORG#<id> / PROFORMA#<id>, indexed by its reference. */
export async function putProForma(proForma: ProForma): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: TABLE_NAME,
      Item: {
        ...proFormaKeys(proForma.organizationId, proForma.proFormaId),
        ...paymentReferenceKeys(proForma.paymentReference),
        type: 'ProForma',
        ...proForma,
      },
    }),
  );
}

export const newLedgerEntry = (
  amount: number,
  currency: LedgerEntry['currency'],
  reason: LedgerEntry['reason'],
  balanceAfter: number,
  reference?: string,
): LedgerEntry => ({
  entryId: newId(),
  amount,
  currency,
  reason,
  balanceAfter,
  at: new Date().toISOString(),
  ...(reference ? { reference } : {}),
});

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
    { label: 'invoice', item: { Put: { TableName: TABLE_NAME, Item: invoiceItem(invoice) } } },
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
          ...(nextReminder
            ? {
                ':next': nextReminder,
                ':gsi2pk': dueKeys(nextReminder.day, shardOf(organizationId)),
                ':gsi2sk': `${organizationId}#${productId}`,
              }
            : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
