import * as z from 'zod';

/**
 * A user's membership of an account, with their rights (R7).
 * Keys: pk = ORG#<orgId>, sk = MEMBER#<userId>; GSI1: gsi1pk = USER#<userId>, gsi1sk = ORG#<orgId>
 * (the user's accounts, R5). The account name is copied here so that listing a user's accounts
 * is one Query.
 */
export const ProductAccess = z.union([
  z.literal('all'),
  z.array(z.string().regex(/^[0-9A-Z]{26}$/, 'a product id')).max(1000),
]);
export type ProductAccess = z.infer<typeof ProductAccess>;

/** Rights an admin can grant (the legal representative is appointed separately, R11). */
export const GrantableRights = z.strictObject({
  admin: z.boolean(),
  billing: z.boolean(),
  /** 'all' = all products, including future ones; otherwise the product ids. */
  products: ProductAccess,
});
export type GrantableRights = z.infer<typeof GrantableRights>;

export interface Rights extends GrantableRights {
  legalRepresentative: boolean;
}

export type Role = 'legalRepresentative' | 'admin' | 'member';

export interface Membership {
  organizationId: string;
  organizationName: string;
  userId: string;
  email: string;
  rights: Rights;
  joinedAt: string;
}

export const membershipKeys = (organizationId: string, userId: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `MEMBER#${userId}`,
});
export const membershipIndexKeys = (organizationId: string, userId: string) => ({
  gsi1pk: `USER#${userId}`,
  gsi1sk: `ORG#${organizationId}`,
});
