import { accountPartition } from './item.ts';

/**
 * The bookkeeping items that are no entity of the product: the audit trail, the answers kept
 * for retried requests, and the markers that make e-mails go out once.
 */

/** An audit entry (who did what, *beyond* the spec). pk = ORG#<orgId>, sk = AUDIT#<ulid>. */
export const auditKeys = (organizationId: string, entryId: string) => ({
  pk: accountPartition(organizationId),
  sk: `AUDIT#${entryId}`,
});

/** The answer of an order, kept 24 h for a retry with the same key. pk = IDEMPOTENCY#<user>#<key>, sk = ORDER. */
export const idempotencyKeys = (userId: string, key: string) => ({
  pk: `IDEMPOTENCY#${userId}#${key}`,
  sk: 'ORDER',
});

/** That an e-mail went out, kept 30 days: sending twice with one key sends once. pk = EMAIL#<key>, sk = EMAIL. */
export const emailMarkerKeys = (key: string) => ({ pk: `EMAIL#${key}`, sk: 'EMAIL' });
