import * as z from 'zod';
import { ProductType } from '../catalog.ts';
import { Currency, MinorUnits } from '../money.ts';
import { CountryCode, Text } from '../schemas.ts';
import { accountPartition, codec } from './item.ts';

/** A billing address (R20). Keys: pk = ORG#<orgId>, sk = ADDRESS#<addressId>. */
export const BillingAddressInput = z.strictObject({
  name: Text(120),
  street: Text(70),
  buildingNumber: Text(16).optional(),
  postalCode: Text(16),
  city: Text(35),
  country: CountryCode,
  email: z.email().max(254).optional(),
});
export type BillingAddressInput = z.infer<typeof BillingAddressInput>;

export const BillingAddress = z.object({
  addressId: z.string(),
  name: z.string(),
  street: z.string(),
  buildingNumber: z.string().optional(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
  email: z.string().optional(),
});
export type BillingAddress = z.infer<typeof BillingAddress>;

export const ADDRESS_PREFIX = 'ADDRESS#';
export const addressKeys = (organizationId: string, addressId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${ADDRESS_PREFIX}${addressId}`,
});
/** An address of an account (its id in the sort key). */
export const addressItem = (organizationId: string) =>
  codec({
    type: 'BillingAddress',
    schema: BillingAddress,
    keys: (a) => addressKeys(organizationId, a.addressId),
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
    note: Text(500).optional(),
  })
  .refine((c) => (c.amount === undefined) !== (c.freeMonths === undefined), {
    message: 'A credit is either an amount or a number of free months.',
  });

export const Credit = z.object({
  creditId: z.string(),
  organizationId: z.string(),
  productType: ProductType,
  amount: z.object({ amount: z.number().int(), currency: Currency }).optional(),
  freeMonths: z.number().int().optional(),
  note: z.string().optional(),
  grantedBy: z.string(),
  grantedAt: z.string(),
  /** Set once, by the order that consumed it. */
  consumedByInvoice: z.string().optional(),
});
export type Credit = z.infer<typeof Credit>;

export const CREDIT_PREFIX = 'CREDIT#';
export const creditKeys = (organizationId: string, creditId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${CREDIT_PREFIX}${creditId}`,
});
export const creditItem = codec({
  type: 'Credit',
  schema: Credit,
  keys: (c) => creditKeys(c.organizationId, c.creditId),
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

export const PromoCode = z.object({
  code: z.string(),
  percentOff: z.number().int().optional(),
  amountOff: z.object({ amount: z.number().int(), currency: Currency }).optional(),
  validFrom: z.string(),
  validUntil: z.string(),
  productTypes: z.array(ProductType),
  minimumAmount: z.number().int(),
  maxRedemptions: z.number().int(),
  maxPerAccount: z.number().int(),
  redemptions: z.number().int(),
});
export type PromoCode = z.infer<typeof PromoCode>;

export const promoKeys = (code: string) => ({ pk: `PROMO#${code}`, sk: 'PROMO' });
/** One account's redemptions of a code (R17: per-account limit), counted beside the code. */
export const promoAccountKeys = (code: string, organizationId: string) => ({
  pk: `PROMO#${code}`,
  sk: `ACCOUNT#${organizationId}`,
});
export const promoItem = codec({ type: 'PromoCode', schema: PromoCode, keys: (p) => promoKeys(p.code) });

/** How an order is paid (R15). Card payment is out of scope. */
export const PaymentMethod = z.enum(['iban', 'qr-bill', 'prepaid'], {
  error: (issue) =>
    issue.input === 'card'
      ? 'Card payment is not offered: pay by bank transfer (iban), QR-bill (qr-bill) or prepaid balance (prepaid).'
      : 'Expected iban, qr-bill or prepaid.',
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;
