import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { ADDRESS_PREFIX, CREDIT_PREFIX } from '../entities/billing.ts';
import { type Deletion, type DeletionStatus, deletionItem, deletionKeys } from '../entities/deletion.ts';
import { INVITATION_PREFIX, INVITEE_PREFIX } from '../entities/invitation.ts';
import { invoiceKeys } from '../entities/invoice.ts';
import { accountPartition } from '../entities/item.ts';
import { MEMBER_PREFIX } from '../entities/membership.ts';
import { organizationKeys } from '../entities/organization.ts';
import { PRODUCT_PREFIX, TRANSFER_PREFIX } from '../entities/product.ts';
import { deleteAll, getItem, isConditionFailure, putItem, queryPrefix, TABLE_NAME } from './table.ts';

export type { Deletion, DeletionStatus };

/** Access pattern: the account's deletion — GetItem ORG#<id> / DELETION. */
export async function getDeletion(organizationId: string): Promise<Deletion | undefined> {
  const item = await getItem(deletionKeys(organizationId));
  return item ? deletionItem.fromItem(item) : undefined;
}

/** Access pattern: start a deletion — PutItem, unless one is under way (an ended one may be retried). */
export async function putDeletion(deletion: Deletion): Promise<boolean> {
  return putItem(deletionItem.toItem(deletion), {
    expression: 'attribute_not_exists(pk) OR #status IN (:cancelled, :expired)',
    names: { '#status': 'status' },
    values: { ':cancelled': 'cancelled', ':expired': 'expired' },
  });
}

/** Access pattern: park the confirmation step's token and link hash — UpdateItem while awaiting. */
export async function awaitConfirmation(organizationId: string, taskToken: string, tokenHash: string) {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: deletionKeys(organizationId),
        UpdateExpression: 'SET taskToken = :task, tokenHash = :hash',
        ConditionExpression: '#status = :awaiting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':task': taskToken,
          ':hash': tokenHash,
          ':awaiting': 'awaiting-confirmation',
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Access pattern: the link confirms — UpdateItem (same hash, still awaiting), returning the token. */
export async function confirm(organizationId: string, tokenHash: string): Promise<string | undefined> {
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: deletionKeys(organizationId),
        UpdateExpression: 'SET #status = :confirmed REMOVE tokenHash',
        ConditionExpression: 'tokenHash = :hash AND #status = :awaiting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':confirmed': 'confirmed',
          ':hash': tokenHash,
          ':awaiting': 'awaiting-confirmation',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes?.taskToken as string | undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Access pattern: record how the deletion ended — UpdateItem. */
export async function setDeletionStatus(organizationId: string, status: DeletionStatus): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: deletionKeys(organizationId),
      UpdateExpression: 'SET #status = :status REMOVE taskToken, tokenHash',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    }),
  );
}

/** Items of the account whose sort key starts with one of the prefixes — one Query each. */
async function keysOf(organizationId: string, prefixes: string[]) {
  const keys: { pk: string; sk: string }[] = [];
  for (const prefix of prefixes) {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent in outcome — only the keys are used; the projection saves bytes, not read units
    const items = await queryPrefix(accountPartition(organizationId), prefix, { keysOnly: true });
    keys.push(...items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })));
  }
  return keys;
}

/** Access pattern: remove who and what gives access — Queries + BatchWriteItem deletes (idempotent). */
export async function removeAccess(organizationId: string): Promise<number> {
  return deleteAll(
    await keysOf(organizationId, [MEMBER_PREFIX, INVITATION_PREFIX, INVITEE_PREFIX, TRANSFER_PREFIX]),
  );
}

/**
 * Access pattern: remove personal data — billing addresses, credits and (terminated) products
 * are deleted; the account item keeps no name or holder. Idempotent.
 */
export async function removePersonalData(organizationId: string): Promise<void> {
  await deleteAll(await keysOf(organizationId, [ADDRESS_PREFIX, CREDIT_PREFIX, PRODUCT_PREFIX]));
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: organizationKeys(organizationId),
      UpdateExpression:
        'SET #name = :deleted, holder = :holder REMOVE logoKey, defaultBillingAddressId, defaultBillingAddress, legalRepresentativeId, billingMembers',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: {
        ':deleted': 'Deleted account',
        ':holder': { kind: 'company', businessName: 'Deleted account' },
      },
    }),
  );
}

/** Access pattern: an archived invoice is kept until the end of the retention period — UpdateItem. */
export async function markArchived(organizationId: string, invoiceId: string, until: string): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: invoiceKeys(organizationId, invoiceId),
      UpdateExpression: 'SET archivedUntil = :until',
      ExpressionAttributeValues: { ':until': until },
    }),
  );
}

/** Access pattern: the account is gone — UpdateItem status deleted. */
export async function markAccountDeleted(organizationId: string): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: organizationKeys(organizationId),
      UpdateExpression: 'SET #status = :deleted, deletedAt = if_not_exists(deletedAt, :now)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':deleted': 'deleted', ':now': new Date().toISOString() },
    }),
  );
}
