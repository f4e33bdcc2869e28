import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { accountPartition } from '../entities/item.ts';
import { MEMBER_PREFIX, type Membership, membershipItem, membershipKeys } from '../entities/membership.ts';
import {
  BILLING_MEMBERS,
  type Organization,
  organizationItem,
  organizationKeys,
} from '../entities/organization.ts';
import { type Product, productKeys, stagesInUseKeys } from '../entities/product.ts';
import { type UserProfile, userItem, userKeys } from '../entities/user.ts';
import { advanceReminder, productsByTermEnd } from './products.ts';
import { batchGet, getItem, isConditionFailure, queryAll, TABLE_NAME } from './table.ts';

/**
 * Access pattern: the products of one shard whose next reminder falls from `from` to `to`
 * (days, inclusive), among the terms ending in `terms` — one Query of GSI2 gsi2pk = DUE#<shard>
 * per range of term ends, filtered on `nextReminder.day`.
 */
export async function listDue(
  shard: number,
  terms: { from: string; to: string }[],
  from: string,
  to: string,
): Promise<Product[]> {
  const found = await Promise.all(
    terms.map((range) =>
      productsByTermEnd(shard, range, {
        expression: 'nextReminder.#day BETWEEN :dueFrom AND :dueTo',
        names: { '#day': 'day' },
        values: { ':dueFrom': from, ':dueTo': to },
      }),
    ),
  );
  return found.flat();
}

/**
 * Access pattern: the stages any account has chosen — GetItem REMINDERS / STAGES (a number
 * set that only grows: a stage no account uses any more costs the run one empty range).
 */
export async function stagesInUse(): Promise<number[]> {
  const item = await getItem(stagesInUseKeys());
  return [...((item?.stages as Set<number> | undefined) ?? [])];
}

/** Access pattern: add an account's chosen stages to those in use — UpdateItem REMINDERS / STAGES, ADD. */
export async function addStagesInUse(stages: number[]): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: stagesInUseKeys(),
      UpdateExpression: 'SET #type = :type ADD stages :stages',
      ExpressionAttributeNames: { '#type': 'type' },
      // Stryker disable next-line StringLiteral: equivalent — the stages in use are read by their key; the type names the item for people reading the table
      ExpressionAttributeValues: { ':type': 'StagesInUse', ':stages': new Set(stages) },
    }),
  );
}

export interface ReminderAccount {
  organization: Organization;
  /** The members with billing rights its item names; undefined on an item written before the set. */
  billingMembers: string[] | undefined;
}

/** Access pattern: the accounts of a run, with the billing members they name — BatchGetItem ORG#<id> / ORG. */
export async function reminderAccountsOf(organizationIds: string[]): Promise<Map<string, ReminderAccount>> {
  const items = await batchGet(organizationIds.map(organizationKeys));
  return new Map(
    items.map((item) => {
      const organization = organizationItem.fromItem(item);
      const set = item[BILLING_MEMBERS] as Set<string> | undefined;
      return [organization.organizationId, { organization, billingMembers: set ? [...set] : undefined }];
    }),
  );
}

/** Access pattern: the memberships the accounts name — BatchGetItem ORG#<id> / MEMBER#<userId>. */
export async function membershipsOf(
  members: { organizationId: string; userId: string }[],
): Promise<Membership[]> {
  const items = await batchGet(members.map((m) => membershipKeys(m.organizationId, m.userId)));
  return items.map(membershipItem.fromItem);
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

/** Access pattern: profiles of the recipients (language, opt-out) — BatchGetItem USER#<id> / PROFILE. */
export async function profilesOf(userIds: string[]): Promise<Map<string, UserProfile>> {
  const found = (await batchGet([...new Set(userIds)].map(userKeys))).map(userItem.fromItem);
  return new Map(found.map((profile) => [profile.userId, profile]));
}

/**
 * Access pattern: move a product to its next stage — one conditional UpdateItem, only while it
 * is still at that stage. With `sentOn` it also records the stage as sent, only if neither it
 * nor a later stage was sent this term (R25: once per term and stage): that write is the
 * reminder's claim. False: the product changed meanwhile, or the stage was recorded already.
 */
export async function moveToNextStage(
  product: Product,
  next: { stage: number; day: string } | undefined,
  sentOn?: string,
): Promise<boolean> {
  try {
    await dynamo.send(new UpdateCommand(advanceReminder(product, next, sentOn)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Access pattern: take back a recorded stage whose e-mail could not be sent — one conditional
 * UpdateItem that puts the product back at that stage, only while it is still as
 * `moveToNextStage` left it, so the step's retry sends it.
 */
export async function unrecordReminder(
  product: Product,
  next: { stage: number; day: string } | undefined,
  sentOn: string,
): Promise<void> {
  const was = product.nextReminder;
  if (!was) return;
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: productKeys(product.organizationId, product.productId),
        UpdateExpression: `SET ${[
          'nextReminder = :next',
          ...(product.lastReminder ? ['lastReminder = :last'] : []),
        ].join(', ')}${product.lastReminder ? '' : ' REMOVE lastReminder'}`,
        ConditionExpression: `lastReminder.#day = :sentOn AND lastReminder.stage = :stage AND lastReminder.expiresOn = :expiresOn AND ${
          next ? 'nextReminder.#day = :movedTo' : 'attribute_not_exists(nextReminder)'
        }`,
        ExpressionAttributeNames: { '#day': 'day' },
        ExpressionAttributeValues: {
          ':next': was,
          ...(product.lastReminder ? { ':last': product.lastReminder } : {}),
          ':sentOn': sentOn,
          ':stage': was.stage,
          ':expiresOn': product.expiresOn,
          ...(next ? { ':movedTo': next.day } : {}),
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
