import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { accountPartition } from '../entities/item.ts';
import {
  dueIndexKeys,
  PRODUCT_PREFIX,
  type Product,
  productItem,
  productKeys,
  TRANSFER_PREFIX,
  type TransferRequest,
  transferItem,
  transferKeys,
} from '../entities/product.ts';
import { auditEntry, getItem, isConditionFailure, queryPrefix, TABLE_NAME, transact } from './table.ts';

/** Access pattern: an account's products — Query sk begins_with PRODUCT#. */
export async function listProducts(organizationId: string): Promise<Product[]> {
  const items = await queryPrefix(accountPartition(organizationId), PRODUCT_PREFIX, { consistent: true });
  return items.map(productItem.fromItem);
}

/** Access pattern: one product — GetItem ORG#<id> / PRODUCT#<id>. */
export async function getProduct(organizationId: string, productId: string): Promise<Product | undefined> {
  const item = await getItem(productKeys(organizationId, productId));
  return item ? productItem.fromItem(item) : undefined;
}

/** Access pattern: terminate a product (R14) — UpdateItem, condition not terminated yet. */
export async function terminateProduct(organizationId: string, productId: string): Promise<boolean> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: productKeys(organizationId, productId),
        // A terminated product gets no more reminders (R25): out of the due-day index.
        UpdateExpression:
          'SET #status = :terminated, terminatedAt = :now REMOVE gsi2pk, gsi2sk, nextReminder',
        ConditionExpression: 'attribute_exists(pk) AND #status <> :terminated',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':terminated': 'terminated', ':now': new Date().toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Access pattern: move products to another account (R13) — one transaction: each product item
 * leaves the source (only if still there, unchanged) and appears under the target with the
 * same id; the transfer request (if any) is closed; both accounts get an audit entry.
 */
export async function moveProducts(
  products: Product[],
  targetOrganizationId: string,
  actorId: string,
  request?: TransferRequest,
): Promise<boolean> {
  const [first] = products;
  if (!first) return true;
  const result = await transact([
    ...products.flatMap((product) => [
      {
        label: `leave:${product.productId}`,
        item: {
          Delete: {
            TableName: TABLE_NAME,
            Key: productKeys(product.organizationId, product.productId),
            ConditionExpression: '#status = :status AND expiresOn = :expiresOn',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': product.status, ':expiresOn': product.expiresOn },
          },
        },
      },
      {
        label: `arrive:${product.productId}`,
        item: {
          Put: {
            TableName: TABLE_NAME,
            Item: productItem.toItem({ ...product, organizationId: targetOrganizationId }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
    ]),
    ...(request
      ? [
          {
            label: 'request',
            item: {
              Update: {
                TableName: TABLE_NAME,
                Key: transferKeys(request.targetOrganizationId, request.transferId),
                UpdateExpression: 'SET #status = :accepted',
                ConditionExpression: '#status = :pending',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':accepted': 'accepted', ':pending': 'pending' },
              },
            },
          },
        ]
      : []),
    {
      label: 'audit-source',
      item: auditEntry(first.organizationId, actorId, 'products.transferred-out', {
        to: targetOrganizationId,
        productIds: products.map((p) => p.productId),
      }),
    },
    {
      label: 'audit-target',
      item: auditEntry(targetOrganizationId, actorId, 'products.transferred-in', {
        from: first.organizationId,
        productIds: products.map((p) => p.productId),
      }),
    },
  ]);
  return result.ok;
}

/** Access pattern: ask the target's admins to accept products (R13) — PutItem ORG#<target> / TRANSFER#<id>. */
export async function putTransferRequest(request: TransferRequest): Promise<void> {
  await dynamo.send(new PutCommand({ TableName: TABLE_NAME, Item: transferItem.toItem(request) }));
}

/** Access pattern: one transfer request — GetItem ORG#<target> / TRANSFER#<id>. */
export async function getTransferRequest(
  targetOrganizationId: string,
  transferId: string,
): Promise<TransferRequest | undefined> {
  const item = await getItem(transferKeys(targetOrganizationId, transferId));
  return item ? transferItem.fromItem(item) : undefined;
}

/** Access pattern: the transfer requests addressed to an account — Query sk begins_with TRANSFER#. */
export async function listTransferRequests(targetOrganizationId: string): Promise<TransferRequest[]> {
  const items = await queryPrefix(accountPartition(targetOrganizationId), TRANSFER_PREFIX, {
    newestFirst: true,
  });
  return items.map(transferItem.fromItem);
}

/** The values of a `SET nextReminder = :next, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk`. */
export function dueValues(
  product: Pick<Product, 'organizationId' | 'productId'>,
  day: string,
  next: unknown,
) {
  const { gsi2pk, gsi2sk } = dueIndexKeys(product.organizationId, product.productId, day);
  return { ':next': next, ':gsi2pk': gsi2pk, ':gsi2sk': gsi2sk };
}

/**
 * Access pattern: move a product to its next reminder stage — UpdateItem (index keys follow),
 * only while it is still at the stage the caller saw.
 */
export function advanceReminderItem(product: Product, next: { stage: number; day: string } | undefined) {
  const expected = product.nextReminder;
  return {
    Update: {
      TableName: TABLE_NAME,
      Key: productKeys(product.organizationId, product.productId),
      UpdateExpression: next
        ? 'SET nextReminder = :next, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk'
        : 'REMOVE nextReminder, gsi2pk, gsi2sk',
      ConditionExpression: 'nextReminder.#day = :day AND expiresOn = :expiresOn',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: {
        ':day': expected?.day,
        ':expiresOn': product.expiresOn,
        ...(next ? dueValues(product, next.day, next) : {}),
      },
    },
  };
}

/** Access pattern: set a product's next reminder (new term, new stages) — UpdateItem. */
export async function setNextReminder(product: Product, next: { stage: number; day: string } | undefined) {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: productKeys(product.organizationId, product.productId),
      UpdateExpression: next
        ? 'SET nextReminder = :next, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk'
        : 'REMOVE nextReminder, gsi2pk, gsi2sk',
      ConditionExpression: 'attribute_exists(pk) AND #status <> :terminated',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':terminated': 'terminated',
        ...(next ? dueValues(product, next.day, next) : {}),
      },
    }),
  );
}
