import type { Caller, EmailSource } from '../caller.ts';
import { answerPage } from '../cursor.ts';
import type { Item } from '../entities/item.ts';
import type { Membership, Rights, Role } from '../entities/membership.ts';
import {
  type Organization,
  type OrganizationHolder,
  organizationItem,
  organizationKeys,
  organizationName,
} from '../entities/organization.ts';
import type { UserProfile } from '../entities/user.ts';
import { Forbidden, NotFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Currency } from '../money.ts';
import {
  getMembership,
  insertOrganization,
  listMembershipsOfUser,
  membershipAnd,
} from '../repositories/organizations.ts';
import { assertCanManageMembers, hasBilling, legalRepresentativeRights, roleOf } from '../rights.ts';
import type { PageQuery } from '../schemas.ts';
import { updatePreferences } from './me.ts';

export interface OrganizationSummary {
  organizationId: string;
  name: string;
  role: Role;
  rights: Rights;
}

const summary = (m: Membership): OrganizationSummary => ({
  organizationId: m.organizationId,
  name: m.organizationName,
  role: roleOf(m.rights),
  rights: m.rights,
});

/**
 * R4: a member of the account, or 404 — whoever is not a member learns nothing, not even
 * that the account exists.
 */
export async function requireMember(caller: Caller, organizationId: string): Promise<Membership> {
  return memberOf(await getMembership(organizationId, caller.userId), organizationId);
}

/**
 * The caller's membership, held to `check` (memberOf, billingMemberOf, adminMemberOf), and the
 * one item of the account the route acts on, read in one request; 404 (`missing`) without it.
 */
export async function authorizedTarget<T>(
  caller: Caller,
  organizationId: string,
  check: (membership: Membership | undefined, organizationId: string) => Membership,
  target: { key: { pk: string; sk: string }; decode: (item: Item) => T; missing: string },
): Promise<{ membership: Membership; target: T }> {
  const read = await membershipAnd(organizationId, caller.userId, target.key, target.decode);
  const membership = check(read.membership, organizationId);
  if (read.target === undefined) throw new NotFound(target.missing);
  return { membership, target: read.target };
}

/** What was read of an account, or 404: it does not exist (or, for R4, not for this caller). */
export function accountFound<T>(found: T | undefined, organizationId: string): T {
  if (!found) throw new NotFound(`No customer account ${organizationId}.`);
  return found;
}

/** R4 on a membership already read (with the route's other items, in one request). */
export function memberOf(membership: Membership | undefined, organizationId: string): Membership {
  return accountFound(membership, organizationId);
}

/** R8: an admin or the legal representative of the account; other members get 403. */
export async function requireAdmin(caller: Caller, organizationId: string): Promise<Membership> {
  return adminMemberOf(await getMembership(organizationId, caller.userId), organizationId);
}

/** R8 on a membership already read. */
export function adminMemberOf(found: Membership | undefined, organizationId: string): Membership {
  const membership = memberOf(found, organizationId);
  assertCanManageMembers(membership);
  return membership;
}

/** R7: a member with billing rights (invoices, paying, ordering); others get 403. */
export async function requireBilling(caller: Caller, organizationId: string): Promise<Membership> {
  return billingMemberOf(await getMembership(organizationId, caller.userId), organizationId);
}

/** R7 on a membership already read. */
export function billingMemberOf(found: Membership | undefined, organizationId: string): Membership {
  const membership = memberOf(found, organizationId);
  if (!hasBilling(membership.rights)) {
    throw new Forbidden('Only members with billing rights may see invoices, pay and order for this account.');
  }
  return membership;
}

/**
 * R3/R4: creates a customer account named after the person or company; the creator becomes its
 * legal representative and an admin. The orders issue calls this for a first order.
 */
export async function createOrganization(
  caller: Caller,
  founderEmail: string,
  holder: OrganizationHolder,
  currency: Currency,
): Promise<{ organization: Organization; membership: Membership }> {
  const founded = newOrganization(caller, founderEmail, holder, currency);
  await insertOrganization(founded.organization, founded.membership);
  return founded;
}

/** A new account and its founder's membership, not stored yet (an order stores them with itself). */
export function newOrganization(
  caller: Caller,
  founderEmail: string,
  holder: OrganizationHolder,
  currency: Currency,
) {
  const now = new Date().toISOString();
  const organization: Organization = {
    organizationId: newId(),
    name: organizationName(holder),
    holder,
    legalRepresentativeId: caller.userId,
    adminCount: 1,
    logoKey: null,
    currency,
    prepaidBalance: 0,
    defaultBillingAddressId: null,
    reminderStages: null,
    createdAt: now,
  };
  const membership: Membership = {
    organizationId: organization.organizationId,
    organizationName: organization.name,
    userId: caller.userId,
    email: founderEmail,
    rights: legalRepresentativeRights(),
    joinedAt: now,
  };
  return { organization, membership };
}

/**
 * An account as the API shows it to one of its members: their role and rights in it, the
 * logo's URL, and nothing only the server needs (the admin count, the logo's key).
 */
export function accountView(organization: Organization, membership: Membership, logoUrl: string | null) {
  const { adminCount: _, logoKey: __, ...visible } = organization;
  return { ...visible, logoUrl, role: roleOf(membership.rights), rights: membership.rights };
}

/** An account as one of its members sees it. */
export async function getOrganizationAsMember(caller: Caller, organizationId: string) {
  const { membership, target } = await authorizedTarget(caller, organizationId, memberOf, {
    key: organizationKeys(organizationId),
    decode: organizationItem.fromItem,
    missing: `No customer account ${organizationId}.`,
  });
  return { organization: target, membership };
}

type Named = Pick<OrganizationSummary, 'name' | 'organizationId'>;

/** By name, then by id: a total order, so that a page starts exactly after the one before. */
const byName = (a: Named, b: Named) =>
  a.name.localeCompare(b.name, 'en') ||
  (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0);

/**
 * R5: the accounts the caller belongs to, with their role in each, by name, a page at a time.
 * The index orders a user's accounts by id, not name: the page is cut from the user's accounts
 * read in one Query (a user belongs to few accounts), the cursor holds the name and id it ended at.
 */
export async function listMyOrganizations(caller: Caller, query: PageQuery) {
  return answerPage(`accounts:${caller.userId}`, query, async ({ limit, start }) => {
    const all = (await listMembershipsOfUser(caller.userId)).map(summary).sort(byName);
    const from = start
      ? { name: String(start.name), organizationId: String(start.organizationId) }
      : undefined;
    const after = from ? all.filter((a) => byName(a, from) > 0) : all;
    const items = after.slice(0, limit);
    const last = items[items.length - 1];
    return after.length > limit && last
      ? { items, lastKey: { name: last.name, organizationId: last.organizationId } }
      : { items };
  });
}

/** R5: switching is immediate; the account used last is remembered. Only one's own accounts. */
export async function switchOrganization(
  caller: Caller,
  organizationId: string,
  emailOf: EmailSource,
): Promise<UserProfile> {
  await requireMember(caller, organizationId);
  return updatePreferences(caller, { currentOrganizationId: organizationId }, emailOf);
}
