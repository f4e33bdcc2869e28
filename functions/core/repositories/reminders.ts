import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { accountPartition } from '../entities/item.ts';
import { MEMBER_PREFIX, type Membership, membershipItem } from '../entities/membership.ts';
import { type Organization, organizationItem, organizationKeys } from '../entities/organization.ts';
import { dueKeys, type Product, productItem } from '../entities/product.ts';
import { type UserProfile, userItem, userKeys } from '../entities/user.ts';
import { advanceReminder } from './products.ts';
import { batchGet, isConditionFailure, queryAll } from './table.ts';

type AttributeMap = Record<string, { S?: string; M?: AttributeMap } | undefined>;

/** Access pattern: the products due on a day, in one shard — Query GSI2 gsi2pk = DUE#<day>#<shard>. */
export async function listDue(day: string, shard: number): Promise<Product[]> {
  const items = await queryAll({
    IndexName: 'GSI2',
    KeyConditionExpression: 'gsi2pk = :due',
    ExpressionAttributeValues: { ':due': dueKeys(day, shard) },
  });
  return items.map(productItem.fromItem);
}

/**
 * Access pattern: an account and its members, for its reminder — one Query of the account's
 * partition, sk BETWEEN `MEMBER#` AND `ORG`: the members' sort keys and the account item's are
 * neighbours (docs/data-model.md), so one request reads both.
 */
export async function accountWithMembers(
  organizationId: string,
): Promise<{ organization: Organization | undefined; members: Membership[] }> {
  const { sk } = organizationKeys(organizationId);
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :members AND :account',
    ExpressionAttributeValues: {
      ':pk': accountPartition(organizationId),
      ':members': MEMBER_PREFIX,
      ':account': sk,
    },
  });
  const account = items.find((item) => item.sk === sk);
  return {
    organization: account ? organizationItem.fromItem(account) : undefined,
    members: items.filter((item) => String(item.sk).startsWith(MEMBER_PREFIX)).map(membershipItem.fromItem),
  };
}

/** Access pattern: accounts whose products only move on (their stages) — BatchGetItem ORG#<id> / ORG. */
export async function organizationsOf(organizationIds: string[]): Promise<Map<string, Organization>> {
  const found = (await batchGet(organizationIds.map(organizationKeys))).map(organizationItem.fromItem);
  return new Map(found.map((organization) => [organization.organizationId, organization]));
}

/** Access pattern: profiles of the recipients (language, opt-out) — BatchGetItem USER#<id> / PROFILE. */
export async function profilesOf(userIds: string[]): Promise<Map<string, UserProfile>> {
  const found = (await batchGet([...new Set(userIds)].map(userKeys))).map(userItem.fromItem);
  return new Map(found.map((profile) => [profile.userId, profile]));
}

/**
 * Access pattern: record a stage as sent and move the product to its next stage — one
 * conditional UpdateItem of the product: only while it is still at that stage, and only if
 * that stage (or a later one) was not sent this term already (R25: once per term and stage).
 * `already`: it was; `moved`: the product changed meanwhile (renewed, terminated, restaged).
 */
export async function recordReminder(
  product: Product,
  next: { stage: number; day: string } | undefined,
  sentOn: string,
): Promise<'done' | 'already' | 'moved'> {
  try {
    await dynamo.send(
      new UpdateCommand({
        ...advanceReminder(product, next, sentOn),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'done';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // The item as it was, in DynamoDB's own encoding (the document client does not convert it).
    const old = (error as { Item?: AttributeMap }).Item;
    const stillDue =
      old?.nextReminder?.M?.day?.S === product.nextReminder?.day && old?.expiresOn?.S === product.expiresOn;
    return stillDue ? 'already' : 'moved';
  }
}

/** A product whose stage was already sent still has to leave today's partition — UpdateItem. */
export async function skipStage(product: Product, next: { stage: number; day: string } | undefined) {
  try {
    await dynamo.send(new UpdateCommand(advanceReminder(product, next)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
