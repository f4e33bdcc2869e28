import * as z from 'zod/mini';
import { ProductType } from '../catalog.ts';
import { newId } from '../ids.ts';
import { lazy } from '../lazy-schema.ts';
import { Currency } from '../money.ts';
import { BillingAddress, PaymentMethod } from './billing.ts';
import { accountPartition, codec, stored } from './item.ts';

/**
 * An invoice (R21): every order and renewal makes one. Keys: pk = ORG#<orgId>,
 * sk = INVOICE#<invoiceId> (ULID: newest last); GSI1: gsi1pk = PAYREF#<reference> (the bank
 * reconciliation finds it by the reference a payment carries).
 * `number` comes from a gap-free sequence; the billing address is copied as it was (R20).
 */
export const InvoiceStatus = /* @__PURE__ */ z.enum(['open', 'paid', 'void']);
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;

export const InvoiceLine = /* @__PURE__ */ lazy(() =>
  z.object({
    /** In English, as the API shows it; documents and e-mails word it in the reader's language. */
    description: z.string(),
    productId: z.optional(z.string()),
    productType: z.optional(ProductType),
    productName: z.optional(z.string()),
    periodMonths: z.optional(z.int()),
    /** Catalog price of the line. */
    gross: z.int(),
    /** Free credit applied (R16). */
    creditDiscount: z.int(),
    creditId: z.optional(z.string()),
    /** Promo discount applied (R17). */
    promoDiscount: z.int(),
    /** gross − discounts, never below zero. */
    net: z.int(),
    vatRate: z.int(),
    vat: z.int(),
    total: z.int(),
  }),
);
export type InvoiceLine = z.infer<typeof InvoiceLine>;

export const Invoice = /* @__PURE__ */ lazy(() =>
  z.object({
    invoiceId: z.string(),
    organizationId: z.string(),
    number: z.string(),
    kind: z.enum(['order', 'renewal']),
    status: InvoiceStatus,
    currency: Currency,
    lines: z.array(InvoiceLine),
    net: z.int(),
    vat: z.int(),
    total: z.int(),
    amountPaid: z.int(),
    paymentMethod: PaymentMethod,
    paymentReference: z.string(),
    billingAddress: BillingAddress,
    promoCode: z.optional(z.string()),
    issuedAt: z.string(),
    dueOn: z.string(),
    paidAt: z.optional(z.string()),
    /** Kept, read-only, until then once the account was deleted (R28). */
    archivedUntil: z.optional(z.string()),
  }),
);
export type Invoice = z.infer<typeof Invoice>;

export const INVOICE_PREFIX = 'INVOICE#';
export const invoiceKeys = (organizationId: string, invoiceId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${INVOICE_PREFIX}${invoiceId}`,
});
export const paymentReferenceKeys = (reference: string) => ({ gsi1pk: `PAYREF#${reference}`, gsi1sk: 'REF' });

/**
 * The open-invoice index (GSI2, sparse): an invoice is under its account while it is open, so
 * "to pay" and the deletion check read the open invoices only, not the account's history.
 */
export const openInvoicesKey = (organizationId: string) => `OPEN#${organizationId}`;
export const openInvoiceIndexKeys = (organizationId: string, invoiceId: string) => ({
  gsi2pk: openInvoicesKey(organizationId),
  gsi2sk: invoiceId,
});

export const invoiceItem = codec<Invoice>({
  type: 'Invoice',
  attributes: {
    invoiceId: stored,
    organizationId: stored,
    number: stored,
    kind: stored,
    status: stored,
    currency: stored,
    lines: stored,
    net: stored,
    vat: stored,
    total: stored,
    amountPaid: stored,
    paymentMethod: stored,
    paymentReference: stored,
    billingAddress: stored,
    promoCode: stored,
    issuedAt: stored,
    dueOn: stored,
    paidAt: stored,
    archivedUntil: stored,
  },
  keys: (i) => ({
    ...invoiceKeys(i.organizationId, i.invoiceId),
    ...paymentReferenceKeys(i.paymentReference),
    ...(i.status === 'open' ? openInvoiceIndexKeys(i.organizationId, i.invoiceId) : {}),
  }),
});

/** A pro-forma (R22): its own numbering, covering open invoices. pk = ORG#<orgId>, sk = PROFORMA#<id>. */
export const ProForma = /* @__PURE__ */ lazy(() =>
  z.object({
    proFormaId: z.string(),
    organizationId: z.string(),
    number: z.string(),
    invoiceIds: z.array(z.string()),
    currency: Currency,
    total: z.int(),
    paymentMethod: z.enum(['iban', 'qr-bill']),
    paymentReference: z.string(),
    documentKey: z.string(),
    issuedAt: z.string(),
    dueOn: z.string(),
  }),
);
export type ProForma = z.infer<typeof ProForma>;

export const proFormaKeys = (organizationId: string, proFormaId: string) => ({
  pk: accountPartition(organizationId),
  sk: `PROFORMA#${proFormaId}`,
});
export const proFormaItem = codec<ProForma>({
  type: 'ProForma',
  attributes: {
    proFormaId: stored,
    organizationId: stored,
    number: stored,
    invoiceIds: stored,
    currency: stored,
    total: stored,
    paymentMethod: stored,
    paymentReference: stored,
    documentKey: stored,
    issuedAt: stored,
    dueOn: stored,
  },
  keys: (p) => ({
    ...proFormaKeys(p.organizationId, p.proFormaId),
    ...paymentReferenceKeys(p.paymentReference),
  }),
});

/** The account's prepaid balance moves only with a ledger entry (R18). pk = ORG#<orgId>, sk = LEDGER#<ulid>. */
export const LedgerEntry = /* @__PURE__ */ lazy(() =>
  z.object({
    entryId: z.string(),
    amount: z.int(),
    currency: Currency,
    reason: z.enum(['bank-payment', 'overpayment', 'order', 'withdrawal', 'refund']),
    reference: z.optional(z.string()),
    balanceAfter: z.int(),
    at: z.string(),
  }),
);
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LEDGER_PREFIX = 'LEDGER#';
export const ledgerKeys = (organizationId: string, entryId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${LEDGER_PREFIX}${entryId}`,
});
export const ledgerItem = (organizationId: string) =>
  codec<LedgerEntry>({
    type: 'LedgerEntry',
    attributes: {
      entryId: stored,
      amount: stored,
      currency: stored,
      reason: stored,
      reference: stored,
      balanceAfter: stored,
      at: stored,
    },
    keys: (e) => ledgerKeys(organizationId, e.entryId),
  });

/** A ledger entry made now, with a new id. */
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

/** A withdrawal from the prepaid balance for accounting to pay out (R18). pk = ORG#<orgId>, sk = WITHDRAWAL#<entryId>. */
export const Withdrawal = /* @__PURE__ */ lazy(() =>
  z.object({
    entryId: z.string(),
    status: z.enum(['requested', 'paid']),
    amount: z.int(),
    currency: Currency,
    iban: z.string(),
    accountHolder: z.string(),
    requestedBy: z.string(),
    at: z.string(),
  }),
);
export type Withdrawal = z.infer<typeof Withdrawal>;
export const withdrawalItem = (organizationId: string) =>
  codec<Withdrawal>({
    type: 'Withdrawal',
    attributes: {
      entryId: stored,
      status: stored,
      amount: stored,
      currency: stored,
      iban: stored,
      accountHolder: stored,
      requestedBy: stored,
      at: stored,
    },
    keys: (w) => ({ pk: accountPartition(organizationId), sk: `WITHDRAWAL#${w.entryId}` }),
  });

/** Gap-free and plain counters. pk = COUNTER#<name>, sk = COUNTER. */
export const counterKeys = (name: 'invoice' | 'pro-forma') => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' });

/** A recorded bank payment, unique per bank transaction id (R15). pk = PAYMENT#<bankTransactionId>, sk = PAYMENT. */
export const BankPayment = /* @__PURE__ */ lazy(() =>
  z.object({
    bankTransactionId: z.string(),
    // null when it matched no account: stored absent (the codec writes no NULLs).
    organizationId: z._default(z.nullable(z.string()), null),
    amount: z.int(),
    currency: Currency,
    reference: z.string(),
    receivedAt: z.string(),
    matched: z.boolean(),
    invoiceIds: z.array(z.string()),
  }),
);
export type BankPayment = z.infer<typeof BankPayment>;
export const bankPaymentKeys = (bankTransactionId: string) => ({
  pk: `PAYMENT#${bankTransactionId}`,
  sk: 'PAYMENT',
});
export const bankPaymentItem = codec<BankPayment>({
  type: 'BankPayment',
  attributes: {
    bankTransactionId: stored,
    organizationId: null,
    amount: stored,
    currency: stored,
    reference: stored,
    receivedAt: stored,
    matched: stored,
    invoiceIds: stored,
  },
  keys: (p) => bankPaymentKeys(p.bankTransactionId),
});
