import * as z from 'zod';
import { ProductType } from '../catalog.ts';
import { Currency, MinorUnits, type Money } from '../money.ts';

/** A billing address (R20). Keys: pk = ORG#<orgId>, sk = ADDRESS#<addressId>. */
export const BillingAddressInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  street: z.string().trim().min(1).max(70),
  buildingNumber: z.string().trim().max(16).optional(),
  postalCode: z.string().trim().min(1).max(16),
  city: z.string().trim().min(1).max(35),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 two-letter country code.'),
  email: z.email().max(254).optional(),
});
export type BillingAddressInput = z.infer<typeof BillingAddressInput>;

export interface BillingAddress extends BillingAddressInput {
  addressId: string;
}

export const addressKeys = (organizationId: string, addressId: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `ADDRESS#${addressId}`,
});

/**
 * A free credit granted by support to one account for one product type (R16): an amount or a
 * number of free months. Keys: pk = ORG#<orgId>, sk = CREDIT#<creditId>.
 */
export const CreditGrant = z
  .strictObject({
    productType: ProductType,
    amount: MinorUnits.positive().optional(),
    freeMonths: z.number().int().min(1).max(60).optional(),
    note: z.string().max(500).optional(),
  })
  .refine((c) => (c.amount === undefined) !== (c.freeMonths === undefined), {
    message: 'A credit is either an amount or a number of free months.',
  });

export interface Credit {
  creditId: string;
  organizationId: string;
  productType: ProductType;
  amount?: Money;
  freeMonths?: number;
  note?: string;
  grantedBy: string;
  grantedAt: string;
  /** Set once, by the order that consumed it. */
  consumedByInvoice?: string;
}

export const creditKeys = (organizationId: string, creditId: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `CREDIT#${creditId}`,
});

/**
 * A promo code (R17). Keys: pk = PROMO#<CODE>, sk = PROMO, with a redemption counter; per
 * account: pk = PROMO#<CODE>, sk = ACCOUNT#<orgId>, with that account's counter.
 */
export const PromoCodeInput = z
  .strictObject({
    code: z.string().regex(/^[A-Z0-9-]{3,32}$/, 'Upper-case letters, digits and dashes, 3 to 32.'),
    percentOff: z.number().int().min(1).max(10_000).optional(),
    amountOff: z.strictObject({ amount: MinorUnits.positive(), currency: Currency }).optional(),
    validFrom: z.iso.datetime(),
    validUntil: z.iso.datetime(),
    productTypes: z.array(ProductType).min(1),
    minimumAmount: MinorUnits.default(0),
    maxRedemptions: z.number().int().min(1),
    maxPerAccount: z.number().int().min(1).default(1),
  })
  .refine((p) => (p.percentOff === undefined) !== (p.amountOff === undefined), {
    message: 'A promo code gives either percentOff (basis points) or amountOff.',
  })
  .refine((p) => p.validFrom < p.validUntil, { message: 'validFrom must be before validUntil.' });
export type PromoCodeInput = z.infer<typeof PromoCodeInput>;

export interface PromoCode extends PromoCodeInput {
  redemptions: number;
}

export const promoKeys = (code: string) => ({ pk: `PROMO#${code}`, sk: 'PROMO' });
export const promoAccountKeys = (code: string, organizationId: string) => ({
  pk: `PROMO#${code}`,
  sk: `ACCOUNT#${organizationId}`,
});

/** How an order is paid (R15). Card payment is out of scope. */
export const PaymentMethod = z.enum(['iban', 'qr-bill', 'prepaid'], {
  error: (issue) =>
    issue.input === 'card'
      ? 'Card payment is not offered: pay by bank transfer (iban), QR-bill (qr-bill) or prepaid balance (prepaid).'
      : 'Expected iban, qr-bill or prepaid.',
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;
