import * as z from 'zod/mini';
import { ProductType } from '../catalog.ts';
import { lazy } from '../lazy-schema.ts';
import { Currency, MinorUnits } from '../money.ts';
import { CountryCode, Text } from '../schemas.ts';
import { accountPartition, codec, stored } from './item.ts';

/** A billing address (R20). Keys: pk = ORG#<orgId>, sk = ADDRESS#<addressId>. */
export const BillingAddressInput = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    name: Text(120),
    street: Text(70),
    buildingNumber: z.optional(Text(16)),
    postalCode: Text(16),
    city: Text(35),
    country: CountryCode,
    email: z.optional(z.email().check(z.maxLength(254))),
  }),
);
export type BillingAddressInput = z.infer<typeof BillingAddressInput>;

export const BillingAddress = /* @__PURE__ */ lazy(() =>
  z.object({
    addressId: z.string(),
    name: z.string(),
    street: z.string(),
    buildingNumber: z.optional(z.string()),
    postalCode: z.string(),
    city: z.string(),
    country: z.string(),
    email: z.optional(z.string()),
  }),
);
export type BillingAddress = z.infer<typeof BillingAddress>;

const BILLING_ADDRESS_ATTRIBUTES = {
  addressId: stored,
  name: stored,
  street: stored,
  buildingNumber: stored,
  postalCode: stored,
  city: stored,
  country: stored,
  email: stored,
} as const;

export const ADDRESS_PREFIX = 'ADDRESS#';
export const addressKeys = (organizationId: string, addressId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${ADDRESS_PREFIX}${addressId}`,
});
/** An address of an account (its id in the sort key). */
export const addressItem = (organizationId: string) =>
  codec<BillingAddress>({
    type: 'BillingAddress',
    attributes: BILLING_ADDRESS_ATTRIBUTES,
    keys: (a) => addressKeys(organizationId, a.addressId),
  });

/**
 * A free credit granted by support to one account for one product type (R16): an amount or a
 * number of free months. Keys: pk = ORG#<orgId>, sk = CREDIT#<creditId>.
 */
export const CreditGrant = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      productType: ProductType,
      amount: z.optional(MinorUnits.check(z.positive())),
      freeMonths: z.optional(z.int().check(z.gte(1), z.lte(60))),
      note: z.optional(Text(500)),
    })
    .check(
      z.refine((c) => (c.amount === undefined) !== (c.freeMonths === undefined), {
        message: 'A credit is either an amount or a number of free months.',
      }),
    ),
);

export const Credit = /* @__PURE__ */ lazy(() =>
  z.object({
    creditId: z.string(),
    organizationId: z.string(),
    productType: ProductType,
    amount: z.optional(z.object({ amount: z.int(), currency: Currency })),
    freeMonths: z.optional(z.int()),
    note: z.optional(z.string()),
    grantedBy: z.string(),
    grantedAt: z.string(),
    /** Set once, by the order that consumed it. */
    consumedByInvoice: z.optional(z.string()),
  }),
);
export type Credit = z.infer<typeof Credit>;

export const CREDIT_PREFIX = 'CREDIT#';
export const creditKeys = (organizationId: string, creditId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${CREDIT_PREFIX}${creditId}`,
});
export const creditItem = codec<Credit>({
  type: 'Credit',
  attributes: {
    creditId: stored,
    organizationId: stored,
    productType: stored,
    amount: stored,
    freeMonths: stored,
    note: stored,
    grantedBy: stored,
    grantedAt: stored,
    consumedByInvoice: stored,
  },
  keys: (c) => creditKeys(c.organizationId, c.creditId),
});

/**
 * A promo code (R17). Keys: pk = PROMO#<CODE>, sk = PROMO, with a redemption counter; per
 * account: pk = PROMO#<CODE>, sk = ACCOUNT#<orgId>, with that account's counter.
 */
export const PromoCodeInput = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      code: z.string().check(z.regex(/^[A-Z0-9-]{3,32}$/, 'Upper-case letters, digits and dashes, 3 to 32.')),
      percentOff: z.optional(z.int().check(z.gte(1), z.lte(10_000))),
      amountOff: z.optional(z.strictObject({ amount: MinorUnits.check(z.positive()), currency: Currency })),
      validFrom: z.iso.datetime(),
      validUntil: z.iso.datetime(),
      productTypes: z.array(ProductType).check(z.minLength(1)),
      minimumAmount: z._default(MinorUnits, 0),
      maxRedemptions: z.int().check(z.gte(1)),
      maxPerAccount: z._default(z.int().check(z.gte(1)), 1),
    })
    .check(
      z.refine((p) => (p.percentOff === undefined) !== (p.amountOff === undefined), {
        message: 'A promo code gives either percentOff (basis points) or amountOff.',
      }),
      z.refine((p) => p.validFrom < p.validUntil, { message: 'validFrom must be before validUntil.' }),
    ),
);
export type PromoCodeInput = z.infer<typeof PromoCodeInput>;

export const PromoCode = /* @__PURE__ */ lazy(() =>
  z.object({
    code: z.string(),
    percentOff: z.optional(z.int()),
    amountOff: z.optional(z.object({ amount: z.int(), currency: Currency })),
    validFrom: z.string(),
    validUntil: z.string(),
    productTypes: z.array(ProductType),
    minimumAmount: z.int(),
    maxRedemptions: z.int(),
    maxPerAccount: z.int(),
    redemptions: z.int(),
  }),
);
export type PromoCode = z.infer<typeof PromoCode>;

export const promoKeys = (code: string) => ({ pk: `PROMO#${code}`, sk: 'PROMO' });
/** One account's redemptions of a code (R17: per-account limit), counted beside the code. */
export const promoAccountKeys = (code: string, organizationId: string) => ({
  pk: `PROMO#${code}`,
  sk: `ACCOUNT#${organizationId}`,
});
export const promoItem = codec<PromoCode>({
  type: 'PromoCode',
  attributes: {
    code: stored,
    percentOff: stored,
    amountOff: stored,
    validFrom: stored,
    validUntil: stored,
    productTypes: stored,
    minimumAmount: stored,
    maxRedemptions: stored,
    maxPerAccount: stored,
    redemptions: stored,
  },
  keys: (p) => promoKeys(p.code),
});

/** How an order is paid (R15). Card payment is out of scope. */
export const PaymentMethod = /* @__PURE__ */ z.enum(['iban', 'qr-bill', 'prepaid'], {
  error: (issue) =>
    issue.input === 'card'
      ? 'Card payment is not offered: pay by bank transfer (iban), QR-bill (qr-bill) or prepaid balance (prepaid).'
      : 'Expected iban, qr-bill or prepaid.',
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;
