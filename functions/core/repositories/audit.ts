import { accountPartition } from '../entities/item.ts';
import { AUDIT_PREFIX, type AuditEntry, auditEntryOf } from '../entities/records.ts';
import { type Page, type PageRequest, pageOf, queryPage } from './table.ts';

/**
 * Access pattern: an account's audit trail, newest first, a page at a time — Query
 * ORG#<orgId> / begins_with AUDIT# (ULIDs sort by time), ScanIndexForward false; the optional
 * action and member filters are a FilterExpression on the same Query.
 */
export async function listAuditEntries(
  organizationId: string,
  options: PageRequest & { action?: string; actorId?: string },
): Promise<Page<AuditEntry>> {
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  if (options.action) {
    conditions.push('#action = :action');
    values[':action'] = options.action;
  }
  if (options.actorId) {
    conditions.push('actorId = :actor');
    values[':actor'] = options.actorId;
  }
  const page = await queryPage({
    pk: accountPartition(organizationId),
    prefix: AUDIT_PREFIX,
    limit: options.limit,
    start: options.start,
    filter: conditions.length
      ? {
          expression: conditions.join(' AND '),
          ...(options.action ? { names: { '#action': 'action' } } : {}),
          values,
        }
      : undefined,
  });
  return pageOf(page, auditEntryOf);
}
