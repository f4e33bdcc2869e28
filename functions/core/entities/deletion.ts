import * as z from 'zod/mini';
import { lazy } from '../lazy-schema.ts';
import { accountPartition, codec, stored } from './item.ts';

/**
 * An account deletion in progress (R28): pk = ORG#<orgId>, sk = DELETION. Its status records
 * how far the workflow got, so a failed step can be resumed and nothing happens twice.
 */
export const DeletionStatus = /* @__PURE__ */ z.enum([
  'awaiting-confirmation',
  'confirmed',
  'deleted',
  'cancelled',
  'expired',
]);
export type DeletionStatus = z.infer<typeof DeletionStatus>;

export const Deletion = /* @__PURE__ */ lazy(() =>
  z.object({
    organizationId: z.string(),
    organizationName: z.string(),
    status: DeletionStatus,
    requestedBy: z.string(),
    requesterEmail: z.string(),
    requesterLanguage: z.string(),
    requestedAt: z.string(),
    tokenHash: z.optional(z.string()),
    taskToken: z.optional(z.string()),
  }),
);
export type Deletion = z.infer<typeof Deletion>;

export const deletionKeys = (organizationId: string) => ({
  pk: accountPartition(organizationId),
  sk: 'DELETION',
});

export const deletionItem = codec<Deletion>({
  type: 'Deletion',
  attributes: {
    organizationId: stored,
    organizationName: stored,
    status: stored,
    requestedBy: stored,
    requesterEmail: stored,
    requesterLanguage: stored,
    requestedAt: stored,
    tokenHash: stored,
    taskToken: stored,
  },
  keys: (d) => deletionKeys(d.organizationId),
});
