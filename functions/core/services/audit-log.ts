import * as z from 'zod/mini';
import type { Caller } from '../caller.ts';
import { answerPage } from '../cursor.ts';
import { lazy } from '../lazy-schema.ts';
import { listAuditEntries } from '../repositories/audit.ts';
import { built, PageQuery, Ulid } from '../schemas.ts';
import { requireAdmin } from './organizations.ts';

/** Which entries of the trail: one action (`member.removed`), one member's acts, a page size. */
export const AuditQuery = lazy(() =>
  z.extend(built(PageQuery), {
    action: z.optional(
      z.string().check(z.regex(/^[a-z]+(\.[a-z-]+)+$/, 'An action such as member.removed.'), z.maxLength(60)),
    ),
    member: z.optional(z.union([Ulid, z.uuid()]).check(z.describe('The user id of the member who acted.'))),
  }),
);

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
