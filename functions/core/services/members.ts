import type { Caller } from '../caller.ts';
import { answerPage } from '../cursor.ts';
import {
  type GrantableRights,
  type Membership,
  membershipItem,
  membershipKeys,
  type Role,
} from '../entities/membership.ts';
import type { Suppression } from '../entities/suppression.ts';
import { Conflict, Forbidden } from '../errors.ts';
import { newId } from '../ids.ts';
import { sendEmail } from '../mail/mailer.ts';
import {
  deleteMembership,
  getMembership,
  listMembersPage,
  transferLegalRepresentation,
  updateRights,
} from '../repositories/organizations.ts';
import { withSuppressions } from '../repositories/suppressions.ts';
import { pageOf } from '../repositories/table.ts';
import { legalRepresentativeRights, normalizeRights, roleOf } from '../rights.ts';
import type { PageQuery } from '../schemas.ts';
import { languageOf } from './me.ts';
import { adminMemberOf, authorizedTarget, requireAdmin, requireMember } from './organizations.ts';
import { ownProductGrant } from './products.ts';

export interface MemberView {
  userId: string;
  email: string;
  role: Role;
  rights: Membership['rights'];
  joinedAt: string;
  mailSuppressed?: Suppression;
}

const view = (m: Membership): MemberView => ({
  userId: m.userId,
  email: m.email,
  role: roleOf(m.rights),
  rights: m.rights,
  joinedAt: m.joinedAt,
});

/** R8 + the member acted on, read in one request: an admin's target, or 404. */
async function requireAdminAndTarget(caller: Caller, organizationId: string, userId: string) {
  const { target } = await authorizedTarget(caller, organizationId, adminMemberOf, {
    key: membershipKeys(organizationId, userId),
    decode: membershipItem.fromItem,
    missing: `User ${userId} is not a member of this account.`,
  });
  return target;
}

// The last-admin answers below are unreachable through the API: the legal representative is an
// admin whose rights cannot be changed and who cannot be removed or leave (R10, R11), so the
// admin count never reaches zero. The database condition stays as the rule's last guard.
// Stryker disable next-line StringLiteral: unreachable (above)
const LAST_ADMIN = 'An account keeps at least one admin: make someone else admin first.';
const CHANGED = 'The member was changed by someone else meanwhile; reload and try again.';

/** The users of an account, for its admins (R8). */
export async function listAccountMembers(caller: Caller, organizationId: string, query: PageQuery) {
  await requireAdmin(caller, organizationId);
  return answerPage(`members:${organizationId}`, query, async (page) =>
    withSuppressions(pageOf(await listMembersPage(organizationId, page), view)),
  );
}

/** R7/R8: an admin changes a member's rights; never the legal representative's, never the last admin's. */
export async function changeRights(
  caller: Caller,
  organizationId: string,
  userId: string,
  grant: GrantableRights,
): Promise<MemberView> {
  const target = await requireAdminAndTarget(caller, organizationId, userId);
  if (target.rights.legalRepresentative) {
    throw new Conflict(
      'The legal representative has all rights; appoint another legal representative first (R11).',
    );
  }
  const rights = normalizeRights(await ownProductGrant(organizationId, grant, '/body/products'));
  const outcome = await updateRights(caller.userId, target, rights);
  // Stryker disable next-line all: unreachable (LAST_ADMIN)
  if (outcome === 'last-admin') throw new Conflict(LAST_ADMIN);
  if (outcome === 'changed-meanwhile') throw new Conflict(CHANGED);
  return view({ ...target, rights });
}

/**
 * R10: an admin removes a member, or a member leaves. Never the legal representative, never
 * the last admin.
 */
export async function removeMember(caller: Caller, organizationId: string, userId: string): Promise<void> {
  const leaving = userId === caller.userId;
  const member = leaving
    ? await requireMember(caller, organizationId)
    : await requireAdminAndTarget(caller, organizationId, userId);
  if (member.rights.legalRepresentative) {
    throw new Conflict(
      leaving
        ? 'The legal representative cannot leave the account; appoint another legal representative first (R11).'
        : 'The legal representative cannot be removed (R10).',
    );
  }
  const outcome = await deleteMembership(caller.userId, member);
  // Stryker disable next-line all: unreachable (LAST_ADMIN)
  if (outcome === 'last-admin') throw new Conflict(LAST_ADMIN);
  if (outcome === 'changed-meanwhile') throw new Conflict(CHANGED);
}

/**
 * R11: the legal representative hands the role to another member, who becomes admin with all
 * rights; the former one stays an admin. Both are told by e-mail.
 */
export async function replaceLegalRepresentative(
  caller: Caller,
  organizationId: string,
  userId: string,
): Promise<MemberView> {
  const current = await requireMember(caller, organizationId);
  if (!current.rights.legalRepresentative) {
    throw new Forbidden('Only the legal representative may appoint another legal representative.');
  }
  if (userId === caller.userId) return view(current);
  const next = await getMembership(organizationId, userId);
  if (!next) throw new Conflict('The new legal representative must already be a member of the account.');
  if (!(await transferLegalRepresentation(organizationId, current, next))) throw new Conflict(CHANGED);
  const change = newId();
  await Promise.all(
    [current, next].map(async (member) =>
      sendEmail({
        key: `legal-representative:${organizationId}:${change}:${member.userId}`,
        to: member.email,
        template: 'legalRepresentativeChanged',
        language: await languageOf(member.userId),
        data: { organizationName: current.organizationName, newRepresentativeEmail: next.email },
      }),
    ),
  );
  return view({ ...next, rights: legalRepresentativeRights() });
}
