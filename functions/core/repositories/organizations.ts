import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { accountPartition, type Item } from '../entities/item.ts';
import {
  ACCOUNT_OF_USER_PREFIX,
  MEMBER_PREFIX,
  type Membership,
  membershipItem,
  membershipKeys,
  type Rights,
  userPartition,
} from '../entities/membership.ts';
import {
  BILLING_MEMBERS,
  type Organization,
  organizationItem,
  organizationKeys,
} from '../entities/organization.ts';
import { hasBilling, legalRepresentativeRights } from '../rights.ts';
import {
  accountPage,
  auditEntry,
  batchGetKeyed,
  getItem,
  type Page,
  type PageRequest,
  queryAll,
  queryPrefix,
  TABLE_NAME,
  transact,
} from './table.ts';

/** The items that create an account with its founder; an order's transaction includes them (R3). */
export function organizationCreation(organization: Organization, founder: Membership) {
  return [
    {
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: {
            ...organizationItem.toItem(organization),
            ...(hasBilling(founder.rights) ? { [BILLING_MEMBERS]: new Set([founder.userId]) } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    {
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: membershipItem.toItem(founder),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    {
      item: auditEntry(organization.organizationId, founder.userId, 'organization.created', {}),
    },
  ];
}

/** Access pattern: create an account with its first member — one transaction (R3, R4). */
export async function insertOrganization(organization: Organization, founder: Membership): Promise<void> {
  const result = await transact(organizationCreation(organization, founder));
  if (!result.ok) throw new Error(`Organization ${organization.organizationId} already exists`);
}

/** Access pattern: get an account — GetItem ORG#<id> / ORG (consistent). */
export async function getOrganization(organizationId: string): Promise<Organization | undefined> {
  const item = await getItem(organizationKeys(organizationId));
  return item ? organizationItem.fromItem(item) : undefined;
}

/**
 * Access pattern: the caller's membership and the one item of the account a route acts on, in
 * one consistent BatchGetItem — authorization and target in one request (issue 16).
 */
export async function membershipAnd<T>(
  organizationId: string,
  userId: string,
  target: { pk: string; sk: string },
  decode: (item: Item) => T,
): Promise<{ membership: Membership | undefined; target: T | undefined }> {
  const member = membershipKeys(organizationId, userId);
  // A member acting on their own membership names one key twice: batchGetKeyed asks it once.
  const { read } = await batchGetKeyed([member, target]);
  return { membership: read(member, membershipItem.fromItem), target: read(target, decode) };
}

/** Access pattern: get one membership — GetItem ORG#<orgId> / MEMBER#<userId> (every authorization). */
export async function getMembership(organizationId: string, userId: string): Promise<Membership | undefined> {
  const item = await getItem(membershipKeys(organizationId, userId));
  return item ? membershipItem.fromItem(item) : undefined;
}

/** Access pattern: the members of an account — Query pk=ORG#<id>, sk begins_with MEMBER#. */
export async function listMembers(organizationId: string): Promise<Membership[]> {
  const items = await queryPrefix(accountPartition(organizationId), MEMBER_PREFIX, { consistent: true });
  return items.map(membershipItem.fromItem);
}

/** Access pattern: a page of an account's members, in user-id order — the same Query, limited. */
export async function listMembersPage(organizationId: string, page: PageRequest): Promise<Page<Membership>> {
  return accountPage(organizationId, MEMBER_PREFIX, page, membershipItem.fromItem, {
    oldestFirst: true,
    consistent: true,
  });
}

/** Access pattern: a user's accounts (R5) — Query GSI1 gsi1pk=USER#<id>, gsi1sk begins_with ORG#. */
export async function listMembershipsOfUser(userId: string): Promise<Membership[]> {
  const items = await queryAll({
    IndexName: 'GSI1',
    KeyConditionExpression: 'gsi1pk = :user AND begins_with(gsi1sk, :org)',
    ExpressionAttributeValues: { ':user': userPartition(userId), ':org': ACCOUNT_OF_USER_PREFIX },
  });
  return items.map(membershipItem.fromItem);
}

/**
 * What the account item keeps about its members moves with every membership written: the admin
 * counter (R10: never the last admin) and the set of billing members, whom the reminder run
 * reads by key (R25). `before`/`after`: the member's rights (undefined: not a member). None when
 * neither changes; labelled `admins` when the counter moves, so a refusal names the last admin.
 */
export function accountOfMember(
  organizationId: string,
  userId: string,
  before: Rights | undefined,
  after: Rights | undefined,
) {
  const delta = Number(after?.admin ?? false) - Number(before?.admin ?? false);
  const billing = Number(after ? hasBilling(after) : false) - Number(before ? hasBilling(before) : false);
  if (delta === 0 && billing === 0) return [];
  const add = [
    ...(delta !== 0 ? ['adminCount :delta'] : []),
    ...(billing > 0 ? [`${BILLING_MEMBERS} :user`] : []),
  ];
  return [
    {
      label: delta !== 0 ? 'admins' : 'account',
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: organizationKeys(organizationId),
          UpdateExpression: [
            ...(add.length ? [`ADD ${add.join(', ')}`] : []),
            ...(billing < 0 ? [`DELETE ${BILLING_MEMBERS} :user`] : []),
          ].join(' '),
          ConditionExpression: delta < 0 ? 'adminCount > :one' : 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ...(delta !== 0 ? { ':delta': delta } : {}),
            ...(delta < 0 ? { ':one': 1 } : {}),
            ...(billing !== 0 ? { ':user': new Set([userId]) } : {}),
          },
        },
      },
    },
  ];
}

/**
 * Access pattern: change a member's rights — one transaction: the membership (only if its admin
 * flag is still what the decision was based on), the admin counter, the audit entry.
 * Returns false when the last admin would lose admin rights.
 */
export async function updateRights(
  actorId: string,
  member: Membership,
  rights: Rights,
): Promise<'updated' | 'last-admin' | 'changed-meanwhile'> {
  const result = await transact([
    {
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: membershipKeys(member.organizationId, member.userId),
          UpdateExpression: 'SET #rights = :rights',
          ConditionExpression: '#rights.#admin = :wasAdmin AND #rights.#lr = :false',
          ExpressionAttributeNames: { '#rights': 'rights', '#admin': 'admin', '#lr': 'legalRepresentative' },
          ExpressionAttributeValues: { ':rights': rights, ':wasAdmin': member.rights.admin, ':false': false },
        },
      },
    },
    ...accountOfMember(member.organizationId, member.userId, member.rights, rights),
    {
      item: auditEntry(member.organizationId, actorId, 'member.rights-changed', {
        userId: member.userId,
        rights,
      }),
    },
  ]);
  if (result.ok) return 'updated';
  return result.failed.includes('admins') ? 'last-admin' : 'changed-meanwhile';
}

/**
 * Access pattern: remove a member (R10) — one transaction: delete the membership unless it is
 * the legal representative's, decrement the admin counter unless it is the last admin, audit.
 */
export async function deleteMembership(
  actorId: string,
  member: Membership,
): Promise<'removed' | 'last-admin' | 'changed-meanwhile'> {
  const result = await transact([
    {
      item: {
        Delete: {
          TableName: TABLE_NAME,
          Key: membershipKeys(member.organizationId, member.userId),
          ConditionExpression: '#rights.#admin = :wasAdmin AND #rights.#lr = :false',
          ExpressionAttributeNames: { '#rights': 'rights', '#admin': 'admin', '#lr': 'legalRepresentative' },
          ExpressionAttributeValues: { ':wasAdmin': member.rights.admin, ':false': false },
        },
      },
    },
    ...accountOfMember(member.organizationId, member.userId, member.rights, undefined),
    {
      item: auditEntry(
        member.organizationId,
        actorId,
        actorId === member.userId ? 'member.left' : 'member.removed',
        {
          userId: member.userId,
        },
      ),
    },
  ]);
  if (result.ok) return 'removed';
  return result.failed.includes('admins') ? 'last-admin' : 'changed-meanwhile';
}

/**
 * Access pattern: hand the legal representation to another member (R11) — one transaction on
 * the account (only if the actor still holds it), both memberships and the audit entry.
 */
export async function transferLegalRepresentation(
  organizationId: string,
  current: Membership,
  next: Membership,
): Promise<boolean> {
  const names = { '#rights': 'rights', '#lr': 'legalRepresentative' };
  const result = await transact([
    {
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: organizationKeys(organizationId),
          // The new legal representative gets every right: admin and billing (R11).
          UpdateExpression: next.rights.admin
            ? `SET legalRepresentativeId = :next ADD ${BILLING_MEMBERS} :nextSet`
            : `SET legalRepresentativeId = :next ADD adminCount :one, ${BILLING_MEMBERS} :nextSet`,
          ConditionExpression: 'legalRepresentativeId = :current',
          ExpressionAttributeValues: {
            ':next': next.userId,
            ':nextSet': new Set([next.userId]),
            ':current': current.userId,
            ...(next.rights.admin ? {} : { ':one': 1 }),
          },
        },
      },
    },
    {
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: membershipKeys(organizationId, current.userId),
          UpdateExpression: 'SET #rights.#lr = :false',
          ConditionExpression: '#rights.#lr = :true',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':false': false, ':true': true },
        },
      },
    },
    {
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: membershipKeys(organizationId, next.userId),
          UpdateExpression: 'SET #rights = :rights',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#rights': 'rights' },
          ExpressionAttributeValues: { ':rights': legalRepresentativeRights() },
        },
      },
    },
    {
      item: auditEntry(organizationId, current.userId, 'legal-representative.replaced', {
        userId: next.userId,
      }),
    },
  ]);
  return result.ok;
}

/** Access pattern: set or clear an account's logo — one UpdateItem returning the previous key. */
export async function setOrganizationLogo(
  organizationId: string,
  key: string | null,
): Promise<string | null> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: organizationKeys(organizationId),
      UpdateExpression: key ? 'SET logoKey = :key' : 'REMOVE logoKey',
      ConditionExpression: 'attribute_exists(pk)',
      ...(key ? { ExpressionAttributeValues: { ':key': key } } : {}),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return (Attributes?.logoKey as string | undefined) ?? null;
}

/** Access pattern: set an account's reminder stages — UpdateItem on the account item. */
export async function setReminderStages(organizationId: string, stages: number[] | null): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: organizationKeys(organizationId),
      UpdateExpression: stages ? 'SET reminderStages = :stages' : 'REMOVE reminderStages',
      ConditionExpression: 'attribute_exists(pk)',
      ...(stages ? { ExpressionAttributeValues: { ':stages': stages } } : {}),
    }),
  );
}
