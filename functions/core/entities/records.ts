import { accountPartition, type Item } from './item.ts';

/**
 * The bookkeeping items that are no entity of the product: the audit trail, the answers kept
 * for retried requests, and the markers that make e-mails go out once.
 */

/** An audit entry (who did what, *beyond* the spec). pk = ORG#<orgId>, sk = AUDIT#<ulid>. */
export const auditKeys = (organizationId: string, entryId: string) => ({
  pk: accountPartition(organizationId),
  sk: `${AUDIT_PREFIX}${entryId}`,
});

export const AUDIT_PREFIX = 'AUDIT#';

/** An audit entry as an account's admins read it: who, what, when, from which route. */
export interface AuditEntry {
  entryId: string;
  at: string;
  actorId: string;
  action: string;
  details: Record<string, unknown>;
  /** `METHOD /path` of the API call that made the change; absent for a workflow's own steps. */
  route: string | null;
}

export const auditEntryOf = (item: Item): AuditEntry => ({
  entryId: String(item.sk).slice(AUDIT_PREFIX.length),
  at: String(item.at),
  actorId: String(item.actorId),
  action: String(item.action),
  details: (item.details ?? {}) as Record<string, unknown>,
  route: typeof item.route === 'string' ? item.route : null,
});

/**
 * A creating request and its answer, kept 24 h for a retry with the same Idempotency-Key: one
 * key per user for any route, so a key reused on another request is refused, not replayed.
 * pk = IDEMPOTENCY#<user>#<key>, sk = REQUEST.
 */
export const idempotencyKeys = (userId: string, key: string) => ({
  pk: `IDEMPOTENCY#${userId}#${key}`,
  sk: 'REQUEST',
});

/**
 * What every record of a key holds, whoever writes it (the shared module, or an order in its own
 * transaction): its keys, its type and its expiry a day after `nowMs` (DynamoDB's TTL).
 */
export const idempotencyRecord = (userId: string, key: string, nowMs: number) => ({
  ...idempotencyKeys(userId, key),
  type: 'IdempotencyRecord',
  expiresAt: Math.floor(nowMs / 1000) + 24 * 3600,
});

/** That an e-mail went out, kept 30 days: sending twice with one key sends once. pk = EMAIL#<key>, sk = EMAIL. */
export const emailMarkerKeys = (key: string) => ({ pk: `EMAIL#${key}`, sk: 'EMAIL' });

/**
 * A use counted against a limit in one time window (issue 13: resets per client, invitations
 * per address and per account). pk = LIMIT#<name>#<subject>, sk = WINDOW#<window>; the item
 * expires with its window (TTL), so nothing accumulates.
 */
export const limitKeys = (name: string, subject: string, window: string) => ({
  pk: `LIMIT#${name}#${subject}`,
  sk: `WINDOW#${window}`,
});
