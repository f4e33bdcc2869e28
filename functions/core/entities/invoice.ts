import type { ProductType } from '../catalog.ts';
import type { Currency } from '../money.ts';
import type { BillingAddress, PaymentMethod } from './billing.ts';

/**
 * An invoice (R21): every order and renewal makes one. Keys: pk = ORG#<orgId>,
 * sk = INVOICE#<invoiceId> (ULID: newest last); GSI1: gsi1pk = PAYREF#<reference> (the bank
 * reconciliation finds it by the reference a payment carries).
 * `number` comes from a gap-free sequence; the billing address is copied as it was (R20).
 */
export type InvoiceStatus = 'open' | 'paid' | 'void';

export interface InvoiceLine {
  description: string;
  productId?: string;
  productType?: ProductType;
  periodMonths?: number;
  /** Catalog price of the line. */
  gross: number;
  /** Free credit applied (R16). */
  creditDiscount: number;
  creditId?: string;
  /** Promo discount applied (R17). */
  promoDiscount: number;
  /** gross − discounts, never below zero. */
  net: number;
  vatRate: number;
  vat: number;
  total: number;
}

export interface Invoice {
  invoiceId: string;
  organizationId: string;
  number: string;
  kind: 'order' | 'renewal';
  status: InvoiceStatus;
  currency: Currency;
  lines: InvoiceLine[];
  net: number;
  vat: number;
  total: number;
  amountPaid: number;
  paymentMethod: PaymentMethod;
  paymentReference: string;
  billingAddress: BillingAddress;
  promoCode?: string;
  issuedAt: string;
  dueOn: string;
  paidAt?: string;
}

export const invoiceKeys = (organizationId: string, invoiceId: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `INVOICE#${invoiceId}`,
});
export const paymentReferenceKeys = (reference: string) => ({ gsi1pk: `PAYREF#${reference}`, gsi1sk: 'REF' });

/** A pro-forma (R22): its own numbering, covering open invoices. pk = ORG#<orgId>, sk = PROFORMA#<id>. */
export interface ProForma {
  proFormaId: string;
  organizationId: string;
  number: string;
  invoiceIds: string[];
  currency: Currency;
  total: number;
  paymentMethod: Extract<PaymentMethod, 'iban' | 'qr-bill'>;
  paymentReference: string;
  documentKey: string;
  issuedAt: string;
  dueOn: string;
}

export const proFormaKeys = (organizationId: string, proFormaId: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `PROFORMA#${proFormaId}`,
});

/** The account's prepaid balance moves only with a ledger entry (R18). pk = ORG#<orgId>, sk = LEDGER#<ulid>. */
export interface LedgerEntry {
  entryId: string;
  amount: number;
  currency: Currency;
  reason: 'bank-payment' | 'overpayment' | 'order' | 'renewal' | 'withdrawal';
  reference?: string;
  balanceAfter: number;
  at: string;
}

export const ledgerKeys = (organizationId: string, entryId: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `LEDGER#${entryId}`,
});

/** Gap-free and plain counters. pk = COUNTER#<name>, sk = COUNTER. */
export const counterKeys = (name: 'invoice' | 'pro-forma') => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' });

/** A recorded bank payment, unique per bank transaction id. pk = PAYMENT#<bankTransactionId>, sk = PAYMENT. */
export const bankPaymentKeys = (bankTransactionId: string) => ({
  pk: `PAYMENT#${bankTransactionId}`,
  sk: 'PAYMENT',
});
