import * as z from 'zod/mini';
import { lazy } from '../lazy-schema.ts';
import { Currency } from '../money.ts';
import { Text } from '../schemas.ts';
import { accountPartition, codec, stored } from './item.ts';

/**
 * A customer account (R3, R4). Keys: pk = ORG#<id>, sk = ORG.
 * `adminCount` is kept by every transaction that adds or removes an admin, so "never the last
 * admin" (R10) is a condition on one item, safe under concurrent requests.
 */
export const OrganizationKind = /* @__PURE__ */ z.enum(['person', 'company']);

/** How the account is named when it is created (R3): after the person or the company. */
export const OrganizationHolder = /* @__PURE__ */ lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('person'),
      firstName: Text(100),
      lastName: Text(100),
    }),
    z.strictObject({ kind: z.literal('company'), businessName: Text(200) }),
  ]),
);
export type OrganizationHolder = z.infer<typeof OrganizationHolder>;

export const Organization = /* @__PURE__ */ lazy(() =>
  z.object({
    organizationId: z.string(),
    name: z.string(),
    holder: OrganizationHolder,
    /** Gone once the account is deleted (R28). */
    legalRepresentativeId: z._default(z.string(), ''),
    adminCount: z.int(),
    /** S3 key of the accepted logo (R6), if any. */
    logoKey: z._default(z.nullable(z.string()), null),
    /** The account's billing currency: prices, invoices and the prepaid balance (R19). */
    currency: z._default(Currency, 'CHF'),
    /** Prepaid balance in minor units (R18); moves only with a ledger entry. */
    prepaidBalance: z._default(z.int(), 0),
    defaultBillingAddressId: z._default(z.nullable(z.string()), null),
    /** Its own renewal-reminder stages (R25), or null for the defaults. */
    reminderStages: z._default(z.nullable(z.array(z.int())), null),
    createdAt: z.string(),
    /** Set when the account was deleted (R28): it stays, blanked, so its id is never reused. */
    deletedAt: z.optional(z.string()),
  }),
);
export type Organization = z.infer<typeof Organization>;

export const organizationName = (holder: OrganizationHolder): string =>
  holder.kind === 'person' ? `${holder.firstName} ${holder.lastName}` : holder.businessName;

/**
 * The account item's String Set of the members with billing rights (R7), who get its billing
 * notices (R25). Not part of the entity: written and read by the repositories only, kept by
 * every transaction that writes a membership (accountOfMember), so the reminder run reads its
 * recipients by key instead of querying each account's members.
 */
export const BILLING_MEMBERS = 'billingMembers';

export const organizationKeys = (organizationId: string) => ({
  pk: accountPartition(organizationId),
  sk: 'ORG',
});

export const organizationItem = codec<Organization>({
  type: 'Organization',
  attributes: {
    organizationId: stored,
    name: stored,
    holder: stored,
    legalRepresentativeId: '',
    adminCount: stored,
    logoKey: null,
    currency: 'CHF',
    prepaidBalance: 0,
    defaultBillingAddressId: null,
    reminderStages: null,
    createdAt: stored,
    deletedAt: stored,
  },
  keys: (o) => organizationKeys(o.organizationId),
});
