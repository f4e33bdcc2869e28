import * as z from 'zod';
import type { Currency } from '../money.ts';

/**
 * A customer account (R3, R4). Keys: pk = ORG#<id>, sk = ORG.
 * `adminCount` is kept by every transaction that adds or removes an admin, so "never the last
 * admin" (R10) is a condition on one item, safe under concurrent requests.
 */
export const OrganizationKind = z.enum(['person', 'company']);

/** How the account is named when it is created (R3): after the person or the company. */
export const OrganizationHolder = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('person'),
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
  }),
  z.strictObject({ kind: z.literal('company'), businessName: z.string().trim().min(1).max(200) }),
]);
export type OrganizationHolder = z.infer<typeof OrganizationHolder>;

export interface Organization {
  organizationId: string;
  name: string;
  holder: OrganizationHolder;
  legalRepresentativeId: string;
  adminCount: number;
  /** S3 key of the accepted logo (R6), if any. */
  logoKey: string | null;
  /** The account's billing currency: prices, invoices and the prepaid balance (R19). */
  currency: Currency;
  /** Prepaid balance in minor units (R18); moves only with a ledger entry. */
  prepaidBalance: number;
  defaultBillingAddressId: string | null;
  /** Its own renewal-reminder stages (R25), or null for the defaults. */
  reminderStages: number[] | null;
  createdAt: string;
}

export const organizationName = (holder: OrganizationHolder): string =>
  holder.kind === 'person' ? `${holder.firstName} ${holder.lastName}` : holder.businessName;

export const organizationKeys = (organizationId: string) => ({ pk: `ORG#${organizationId}`, sk: 'ORG' });
