import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { accountPartition } from '../entities/item.ts';
import {
  dayRange,
  duePartition,
  PRODUCT_PREFIX,
  type Product,
  productItem,
  productKeys,
  TRANSFER_PREFIX,
  type TransferRequest,
  transferItem,
  transferKeys,
} from '../entities/product.ts';
import { type RenewalRelease, renewalVoid, withoutRenewal } from './renewal-release.ts';
import {
  accountPage,
  auditEntry,
  batchGet,
  getItem,
  type Page,
  type PageRequest,
  queryAll,
  queryPrefix,
  TABLE_NAME,
  type TransactItem,
  transact,
} from './table.ts';

/** Access pattern: an account's products — Query sk begins_with PRODUCT#. */
export async function listProducts(organizationId: string): Promise<Product[]> {
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent here — DynamoDB Local reads consistently either way
  const items = await queryPrefix(accountPartition(organizationId), PRODUCT_PREFIX, { consistent: true });
  return items.map(productItem.fromItem);
}

/** Access pattern: a page of an account's products, in id order — the same Query, limited. */
export async function listProductsPage(organizationId: string, page: PageRequest): Promise<Page<Product>> {
  return accountPage(organizationId, PRODUCT_PREFIX, page, productItem.fromItem, {
    oldestFirst: true,
    consistent: true,
  });
}

/**
 * Access pattern: a page of the products a member may manage, by their ids (R7), in id order —
 * consistent BatchGetItem of the next ids after the page start, until the page is full (an id
 * granted but no longer in the account is skipped). Pages like listProductsPage, same cursor.
 */
export async function productsByIdPage(
  organizationId: string,
  productIds: string[],
  page: PageRequest,
): Promise<Page<Product>> {
  const after = typeof page.start?.sk === 'string' ? page.start.sk : '';
  const keys = [...new Set(productIds)]
    .map((id) => productKeys(organizationId, id))
    .filter((key) => key.sk > after)
    .sort((a, b) => (a.sk < b.sk ? -1 : 1));
  const found: Product[] = [];
  for (let next = 0; found.length <= page.limit && next < keys.length; ) {
    const batch = keys.slice(next, next + page.limit + 1 - found.length);
    next += batch.length;
    const items = await batchGet(batch, true);
    found.push(...items.sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1)).map(productItem.fromItem));
  }
  if (found.length <= page.limit) return { items: found };
  const items = found.slice(0, page.limit);
  const last = items[items.length - 1] as Product;
  return { items, lastKey: productKeys(organizationId, last.productId) };
}

/**
 * Access pattern: the products of one shard whose term ends from `from` to `to` (days,
 * inclusive) and that pass `filter` — one Query of GSI2 gsi2pk = DUE#<shard>, gsi2sk BETWEEN
 * `<from>#` AND `<to>#~`, read to its end. Items the filter leaves out are billed, not returned.
 */
export async function productsByTermEnd(
  shard: number,
  range: { from: string; to: string },
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
): Promise<Product[]> {
  const { from, to } = dayRange(range.from, range.to);
  const items = await queryAll({
    IndexName: 'GSI2',
    KeyConditionExpression: 'gsi2pk = :due AND gsi2sk BETWEEN :from AND :to',
    ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
    ExpressionAttributeValues: { ':due': duePartition(shard), ':from': from, ':to': to, ...filter?.values },
  });
  return items.map(productItem.fromItem);
}

/** Access pattern: one product — GetItem ORG#<id> / PRODUCT#<id>. */
export async function getProduct(organizationId: string, productId: string): Promise<Product | undefined> {
  const item = await getItem(productKeys(organizationId, productId));
  return item ? productItem.fromItem(item) : undefined;
}

/**
 * A product replaced by its new state (the codec sets every index key), only while what the
 * change was decided on still holds: its status, its term and its open renewal invoice.
 */
export function productChange(before: Product, after: Product) {
  return {
    item: {
      Put: { TableName: TABLE_NAME, Item: productItem.toItem(after), ...unchanged(before) },
    } satisfies TransactItem,
  };
}

/** The condition that a product is still as read: status, term and open renewal invoice. */
function unchanged(before: Product) {
  return {
    ConditionExpression: `#status = :status AND expiresOn = :expiresOn AND ${
      before.openRenewalInvoiceId
        ? 'openRenewalInvoiceId = :renewal'
        : 'attribute_not_exists(openRenewalInvoiceId)'
    }`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':status': before.status,
      ':expiresOn': before.expiresOn,
      ...(before.openRenewalInvoiceId ? { ':renewal': before.openRenewalInvoiceId } : {}),
    },
  };
}

/**
 * Access pattern: a product's status changes — it is terminated (R14), expires or is released
 * (R12): one transaction: the product, unchanged since read, in its new state (the codec moves
 * its index keys); when it ends, its open renewal invoice voided (what was paid on it goes to
 * the balance); audit.
 */
export async function changeProductStatus(
  before: Product,
  after: Product,
  release: RenewalRelease | undefined,
  actorId: string,
): Promise<boolean> {
  const result = await transact([
    productChange(before, after),
    ...(release ? renewalVoid(release) : []),
    {
      item: auditEntry(before.organizationId, actorId, `product.${after.status}`, {
        productId: before.productId,
      }),
    },
  ]);
  return result.ok;
}

/**
 * Access pattern: move products to another account (R13) — one transaction: each product item
 * leaves the source (only if still there, unchanged) and appears under the target with the
 * same id; open renewal invoices of the source are voided (future invoices follow the product);
 * the transfer request (if any) is closed; both accounts get an audit entry.
 */
export async function moveProducts(
  products: Product[],
  targetOrganizationId: string,
  actorId: string,
  releases: RenewalRelease[],
  request?: TransferRequest,
): Promise<boolean> {
  const [first] = products;
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: unreachable — every transfer names one to 25 products
  if (!first) return true;
  const result = await transact([
    ...products.flatMap((product) => [
      {
        item: {
          Delete: {
            TableName: TABLE_NAME,
            Key: productKeys(product.organizationId, product.productId),
            ...unchanged(product),
          },
        },
      },
      {
        item: {
          Put: {
            TableName: TABLE_NAME,
            Item: productItem.toItem({ ...withoutRenewal(product), organizationId: targetOrganizationId }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
    ]),
    ...releases.flatMap(renewalVoid),
    ...(request
      ? [
          {
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
      : // Stryker disable next-line ArrayDeclaration: equivalent — a string's item is undefined, which the SDK leaves out of the request
        []),
    {
      item: auditEntry(first.organizationId, actorId, 'products.transferred-out', {
        to: targetOrganizationId,
        productIds: products.map((p) => p.productId),
      }),
    },
    {
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

/** Access pattern: the transfer requests addressed to an account, newest first, a page at a time — Query sk begins_with TRANSFER#. */
export async function listTransferRequests(
  targetOrganizationId: string,
  page: PageRequest,
): Promise<Page<TransferRequest>> {
  return accountPage(targetOrganizationId, TRANSFER_PREFIX, page, transferItem.fromItem);
}

/**
 * Access pattern: move a product to its next reminder stage — UpdateItem, only while it is
 * still at the stage the caller saw. With `sentOn`, it also records that stage as sent that
 * day, only if neither it nor a later stage was sent this term (R25). The index keys stay (they
 * follow the term's end): one unit for the item, one for the term-end index (issue 16).
 */
export function advanceReminder(
  product: Product,
  next: { stage: number; day: string } | undefined,
  sentOn?: string,
) {
  // Stryker disable next-line OptionalChaining: equivalent — a product moved on from a stage has that stage
  const stage = product.nextReminder?.stage ?? 0;
  const set = [...(next ? ['nextReminder = :next'] : []), ...(sentOn ? ['lastReminder = :last'] : [])];
  return {
    TableName: TABLE_NAME,
    Key: productKeys(product.organizationId, product.productId),
    UpdateExpression: [
      ...(set.length ? [`SET ${set.join(', ')}`] : []),
      ...(next ? [] : ['REMOVE nextReminder']),
    ].join(' '),
    ConditionExpression: `nextReminder.#day = :day AND expiresOn = :expiresOn${
      sentOn
        ? ' AND (attribute_not_exists(lastReminder) OR lastReminder.expiresOn <> :expiresOn OR lastReminder.stage > :stage)'
        : ''
    }`,
    ExpressionAttributeNames: { '#day': 'day' },
    ExpressionAttributeValues: {
      // Stryker disable next-line OptionalChaining: equivalent — a product moved on from a stage has that stage
      ':day': product.nextReminder?.day,
      ':expiresOn': product.expiresOn,
      ...(next ? { ':next': next } : {}),
      ...(sentOn ? { ':last': { stage, day: sentOn, expiresOn: product.expiresOn }, ':stage': stage } : {}),
    },
  };
}

/** Access pattern: set a product's next reminder (new term, new stages) — UpdateItem. */
export async function setNextReminder(product: Product, next: { stage: number; day: string } | undefined) {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: productKeys(product.organizationId, product.productId),
      UpdateExpression: next ? 'SET nextReminder = :next' : 'REMOVE nextReminder',
      ConditionExpression: 'attribute_exists(pk) AND #status <> :terminated',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':terminated': 'terminated',
        ...(next ? { ':next': next } : {}),
      },
    }),
  );
}
