import * as z from 'zod/mini';
import { ProductType } from '../catalog.ts';
import { lazy } from '../lazy-schema.ts';
import { Currency } from '../money.ts';
import { shardOf } from '../reminders.ts';
import { accountPartition, codec, stored } from './item.ts';

/**
 * A product of an account (R12). Keys: pk = ORG#<orgId>, sk = PRODUCT#<productId>; until it is
 * terminated, GSI2: gsi2pk = DUE#<shard>, gsi2sk = <expiresOn>#<orgId>#<productId> (the sparse
 * term-end index of R26: reminders and lifecycle). The id stays the same when the product moves (R13).
 */
export const ProductStatus = /* @__PURE__ */ z.enum(['active', 'expired', 'terminated']);
export type ProductStatus = z.infer<typeof ProductStatus>;

export const ReminderStage = /* @__PURE__ */ z.object({
  stage: /* @__PURE__ */ z.int(),
  day: /* @__PURE__ */ z.string(),
});

export const Product = /* @__PURE__ */ lazy(() =>
  z.object({
    productId: z.string(),
    organizationId: z.string(),
    type: ProductType,
    /** What the customer calls it: the domain name, the hosting's name. */
    name: z.string(),
    status: ProductStatus,
    /** Last day of the paid term (YYYY-MM-DD, Swiss time). */
    expiresOn: z.string(),
    renewalPeriodMonths: z.int(),
    /** Price of one renewal period. */
    price: z.object({ amount: z.int(), currency: Currency }),
    createdAt: z.string(),
    terminatedAt: z.optional(z.string()),
    /** Why it ended: the customer terminated it (R14), or it was released after its grace period (R12). */
    endedBy: z.optional(z.enum(['customer', 'expiry'])),
    /** The renewal invoice waiting to be paid, if any (R23). */
    openRenewalInvoiceId: z.optional(z.string()),
    /** The next renewal reminder of this term (R25); the run finds it by the term's end (GSI2). */
    nextReminder: z.optional(ReminderStage),
    /**
     * The last renewal reminder sent: its stage, the day it went out and the term it belongs to.
     * A stage at or before it in the same term is never sent again (R25: once per term and stage).
     */
    lastReminder: z.optional(z.extend(ReminderStage, { expiresOn: z.string() })),
  }),
);
export type Product = z.infer<typeof Product>;

export const PRODUCT_PREFIX = 'PRODUCT#';

export const productKeys = (organizationId: string, productId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${PRODUCT_PREFIX}${productId}`,
});

/** The term-end index's partition of a shard (R26): its products sorted by the end of their term, then account. */
export const duePartition = (shard: number) => `DUE#${shard}`;
/** Sort keys of the terms ending from `from` to `to` (days, inclusive): one range of a shard's partition. */
export const dayRange = (from: string, to: string) => ({ from: `${from}#`, to: `${to}#~` });
/**
 * A product's place in the term-end index: all of an account's products share a shard. The
 * place changes only with the term (a renewal), never when a reminder is sent or the status
 * changes by itself, so those writes cost the index one unit, not two (issue 16).
 */
export const termEndIndexKeys = (organizationId: string, productId: string, expiresOn: string) => ({
  gsi2pk: duePartition(shardOf(organizationId)),
  gsi2sk: `${expiresOn}#${organizationId}#${productId}`,
});

/**
 * The stages any account has chosen, ever (R25): one item for the table, a number set that the
 * reminder run reads to know which term ends to read (docs/data-model.md, decision 92).
 */
export const stagesInUseKeys = () => ({ pk: 'REMINDERS', sk: 'STAGES' });

/**
 * The product's `type` is the item's `type` attribute's name: it is stored as `productType`.
 * A product that is not terminated is in the term-end index (its reminders and its own status
 * changes follow from the term's end); it is in no other index.
 */
export const productItem = codec<Product>({
  type: 'Product',
  attributes: {
    productId: stored,
    organizationId: stored,
    type: stored,
    name: stored,
    status: stored,
    expiresOn: stored,
    renewalPeriodMonths: stored,
    price: stored,
    createdAt: stored,
    terminatedAt: stored,
    endedBy: stored,
    openRenewalInvoiceId: stored,
    nextReminder: stored,
    lastReminder: stored,
  },
  encode: ({ type, ...rest }) => ({ ...rest, productType: type }),
  decode: (item) => ({ ...item, type: item.productType }),
  keys: (p) => ({
    ...productKeys(p.organizationId, p.productId),
    ...(p.status === 'terminated' ? {} : termEndIndexKeys(p.organizationId, p.productId, p.expiresOn)),
  }),
});

/** Whether the product's next stage was already sent this term (a later or the same stage was). */
export const reminderSent = (product: Product): boolean =>
  product.lastReminder !== undefined &&
  product.lastReminder.expiresOn === product.expiresOn &&
  // Stryker disable next-line OptionalChaining: equivalent — the run asks only of due products, which its Query found by nextReminder.day
  product.lastReminder.stage <= (product.nextReminder?.stage ?? Number.NEGATIVE_INFINITY);

/** A request to move products to an account whose admin must accept it (R13). pk = ORG#<target>. */
export const TransferRequest = /* @__PURE__ */ lazy(() =>
  z.object({
    transferId: z.string(),
    sourceOrganizationId: z.string(),
    targetOrganizationId: z.string(),
    productIds: z.array(z.string()),
    requestedBy: z.string(),
    status: z.enum(['pending', 'accepted', 'declined']),
    createdAt: z.string(),
  }),
);
export type TransferRequest = z.infer<typeof TransferRequest>;

export const TRANSFER_PREFIX = 'TRANSFER#';

export const transferKeys = (targetOrganizationId: string, transferId: string) => ({
  pk: accountPartition(targetOrganizationId),
  sk: `${TRANSFER_PREFIX}${transferId}`,
});

export const transferItem = codec<TransferRequest>({
  type: 'TransferRequest',
  attributes: {
    transferId: stored,
    sourceOrganizationId: stored,
    targetOrganizationId: stored,
    productIds: stored,
    requestedBy: stored,
    status: stored,
    createdAt: stored,
  },
  keys: (t) => transferKeys(t.targetOrganizationId, t.transferId),
});

/** At most this many products move in one transfer (one DynamoDB transaction). */
export const MAX_TRANSFER_PRODUCTS = 25;
