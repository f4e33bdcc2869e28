import * as z from 'zod';
import type { Caller } from '../caller.ts';
import { answerPage } from '../cursor.ts';
import { listAuditEntries } from '../repositories/audit.ts';
import { PageQuery, Ulid } from '../schemas.ts';
import { requireAdmin } from './organizations.ts';

/** Which entries of the trail: one action (`member.removed`), one member's acts, a page size. */
export const AuditQuery = PageQuery.extend({
  action: z
    .string()
    .regex(/^[a-z]+(\.[a-z-]+)+$/, 'An action such as member.removed.')
    .max(60)
    .optional(),
  member: Ulid.or(z.uuid()).describe('The user id of the member who acted.').optional(),
});

/**
 * The account's audit trail for its admins (issue 13): who did what, when, from which route,
 * newest first, a page at a time (signed cursors bound to this account and filter).
 */
export async function auditLog(caller: Caller, organizationId: string, query: z.infer<typeof AuditQuery>) {
  await requireAdmin(caller, organizationId);
  const scope = `audit:${organizationId}:${query.action ?? ''}:${query.member ?? ''}`;
  return answerPage(scope, query, (page) =>
    listAuditEntries(organizationId, {
      ...page,
      ...(query.action ? { action: query.action } : {}),
      ...(query.member ? { actorId: query.member } : {}),
    }),
  );
}
