import * as z from 'zod/mini';
import { lazy } from '../lazy-schema.ts';
import { Ulid } from '../schemas.ts';
import { accountPartition, codec, stored } from './item.ts';

/**
 * A user's membership of an account, with their rights (R7).
 * Keys: pk = ORG#<orgId>, sk = MEMBER#<userId>; GSI1: gsi1pk = USER#<userId>, gsi1sk = ORG#<orgId>
 * (the user's accounts, R5). The account name is copied here so that listing a user's accounts
 * is one Query.
 */
export const ProductAccess = /* @__PURE__ */ lazy(() =>
  z.union([z.literal('all'), z.array(Ulid).check(z.maxLength(1000))]),
);
export type ProductAccess = z.infer<typeof ProductAccess>;

/** Rights an admin can grant (the legal representative is appointed separately, R11). */
export const GrantableRights = /* @__PURE__ */ z.strictObject({
  admin: /* @__PURE__ */ z.boolean(),
  billing: /* @__PURE__ */ z.boolean(),
  /** 'all' = all products, including future ones; otherwise the product ids. */
  products: ProductAccess,
});
export type GrantableRights = z.infer<typeof GrantableRights>;

export const Rights = /* @__PURE__ */ lazy(() =>
  z.object({
    legalRepresentative: z.boolean(),
    admin: z.boolean(),
    billing: z.boolean(),
    products: z.union([z.literal('all'), z.array(z.string())]),
  }),
);
export type Rights = z.infer<typeof Rights>;

export type Role = 'legalRepresentative' | 'admin' | 'member';

export const Membership = /* @__PURE__ */ lazy(() =>
  z.object({
    organizationId: z.string(),
    organizationName: z.string(),
    userId: z.string(),
    email: z.string(),
    rights: Rights,
    joinedAt: z.string(),
  }),
);
export type Membership = z.infer<typeof Membership>;

export const MEMBER_PREFIX = 'MEMBER#';
/** The GSI1 side of a membership: a user's accounts, sorted by account id. */
export const userPartition = (userId: string) => `USER#${userId}`;
export const ACCOUNT_OF_USER_PREFIX = 'ORG#';

export const membershipKeys = (organizationId: string, userId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${MEMBER_PREFIX}${userId}`,
});

export const membershipItem = codec<Membership>({
  type: 'Membership',
  attributes: {
    organizationId: stored,
    organizationName: stored,
    userId: stored,
    email: stored,
    rights: stored,
    joinedAt: stored,
  },
  keys: (m) => ({
    ...membershipKeys(m.organizationId, m.userId),
    gsi1pk: userPartition(m.userId),
    gsi1sk: `${ACCOUNT_OF_USER_PREFIX}${m.organizationId}`,
  }),
});
