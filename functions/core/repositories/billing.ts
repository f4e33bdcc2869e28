import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import {
  ADDRESS_PREFIX,
  addressItem,
  addressKeys,
  BillingAddress,
  CREDIT_PREFIX,
  type Credit,
  creditItem,
  type PromoCode,
  promoItem,
} from '../entities/billing.ts';
import { accountPartition, type Item } from '../entities/item.ts';
import { organizationKeys } from '../entities/organization.ts';
import { PARSE } from '../parse-options.ts';
import { built } from '../schemas.ts';
import {
  accountPage,
  getItem,
  isConditionFailure,
  type Page,
  type PageRequest,
  putItem,
  queryPrefix,
  TABLE_NAME,
  transact,
} from './table.ts';

// ---- Billing addresses (R20) ----------------------------------------------------------------

/** Access pattern: an account's billing addresses, oldest first, a page at a time — Query sk begins_with ADDRESS#. */
export async function listAddresses(
  organizationId: string,
  page: PageRequest,
): Promise<Page<BillingAddress>> {
  return accountPage(organizationId, ADDRESS_PREFIX, page, addressItem(organizationId).fromItem, {
    oldestFirst: true,
  });
}

/** Access pattern: one billing address — GetItem ORG#<id> / ADDRESS#<id>. */
export async function getAddress(
  organizationId: string,
  addressId: string,
): Promise<BillingAddress | undefined> {
  const item = await getItem(addressKeys(organizationId, addressId));
  return item ? addressItem(organizationId).fromItem(item) : undefined;
}

/**
 * The account item keeps a copy of its default address (`defaultBillingAddress`), so that an
 * order or a pro-forma to the default address reads it with the account, in one request
 * (issue 16). Every write that changes the default or its content keeps the copy true.
 */
const addressFields = () => Object.keys(built(BillingAddress).shape) as (keyof BillingAddress)[];

/** The account's copy of its default address, read from the account item (undefined without one). */
export function defaultAddressOf(account: Item | undefined): BillingAddress | undefined {
  const copy = account?.defaultBillingAddress as BillingAddress | undefined;
  // Stryker disable next-line ConditionalExpression,OptionalChaining: unreachable — the default's id and its copy are written together
  return copy && copy.addressId === account?.defaultBillingAddressId
    ? BillingAddress.parse(copy, PARSE)
    : undefined;
}

/**
 * Access pattern: an account's default address — the copy read with the account item; a GetItem
 * only for an account stored before it kept one (undefined without a default).
 */
export async function defaultAddressFor(
  organization: { organizationId: string; defaultBillingAddressId: string | null },
  copy: BillingAddress | undefined,
): Promise<BillingAddress | undefined> {
  const id = organization.defaultBillingAddressId;
  // Stryker disable next-line ConditionalExpression: equivalent — without an id the copy is absent too, and a read of ADDRESS#null finds nothing
  if (!id) return undefined;
  return copy ?? (await getAddress(organization.organizationId, id));
}

/** The condition that an address item holds exactly `address` (a ConditionCheck in a transaction). */
function holds(address: BillingAddress) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = addressFields().map((field, i) => {
    names[`#f${i}`] = field;
    if (address[field] === undefined) return `attribute_not_exists(#f${i})`;
    values[`:f${i}`] = address[field];
    return `#f${i} = :f${i}`;
  });
  return {
    ConditionExpression: parts.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Access pattern: add an address — PutItem; the first one also becomes the default (UpdateItem if none). */
export async function putAddress(organizationId: string, address: BillingAddress): Promise<void> {
  await dynamo.send(
    new PutCommand({ TableName: TABLE_NAME, Item: addressItem(organizationId).toItem(address) }),
  );
  await adoptDefaultAddress(organizationId, address);
}

/**
 * Access pattern: an address becomes the default if the account has none — UpdateItem on the
 * account item (its id and its copy), conditional on no default (absent, or null as accounts
 * store it at creation).
 */
export async function adoptDefaultAddress(organizationId: string, address: BillingAddress): Promise<void> {
  await dynamo
    .send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: organizationKeys(organizationId),
        UpdateExpression: 'SET defaultBillingAddressId = :id, defaultBillingAddress = :address',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(defaultBillingAddressId) OR defaultBillingAddressId = :none)',
        ExpressionAttributeValues: { ':id': address.addressId, ':address': address, ':none': null },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * Access pattern: edit an address — one transaction: the address (it exists), and the account's
 * copy when it is the default (condition: it still is); when it is not, the address alone,
 * on condition that it has not become the default meanwhile. Invoices keep their copies (R20).
 * `missing`: no such address; `busy`: the default changed at every attempt.
 */
export async function replaceAddress(
  organizationId: string,
  address: BillingAddress,
  /** The account's default address id as read: the first attempt takes that branch. */
  defaultId: string | null,
): Promise<'replaced' | 'missing' | 'busy'> {
  const put = {
    label: 'address',
    item: {
      Put: {
        TableName: TABLE_NAME,
        Item: addressItem(organizationId).toItem(address),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
  };
  const account = (asDefault: boolean) => ({
    item: asDefault
      ? {
          Update: {
            TableName: TABLE_NAME,
            Key: organizationKeys(organizationId),
            UpdateExpression: 'SET defaultBillingAddress = :address',
            ConditionExpression: 'defaultBillingAddressId = :id',
            ExpressionAttributeValues: { ':address': address, ':id': address.addressId },
          },
        }
      : {
          ConditionCheck: {
            TableName: TABLE_NAME,
            Key: organizationKeys(organizationId),
            ConditionExpression:
              'attribute_not_exists(defaultBillingAddressId) OR defaultBillingAddressId <> :id',
            ExpressionAttributeValues: { ':id': address.addressId },
          },
        },
  });
  const first = defaultId === address.addressId;
  for (let attempt = 0; attempt < 4; attempt++) {
    // The branch the account's default, as read, calls for; the other if it changed meanwhile.
    const asDefault = attempt % 2 === 0 ? first : !first;
    const result = await transact([put, account(asDefault)]);
    // Stryker disable next-line StringLiteral: equivalent — the caller tells apart only 'missing' and 'busy'
    if (result.ok) return 'replaced';
    if (result.failed.includes('address')) return 'missing';
  }
  return 'busy';
}

/**
 * Access pattern: choose the default address — one transaction: the account's default id and
 * copy, on condition that the address still holds what was read (an edit meanwhile fails it).
 * false: the address changed or is gone.
 */
export async function setDefaultAddress(organizationId: string, address: BillingAddress): Promise<boolean> {
  const result = await transact([
    {
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: organizationKeys(organizationId),
          UpdateExpression: 'SET defaultBillingAddressId = :id, defaultBillingAddress = :address',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':id': address.addressId, ':address': address },
        },
      },
    },
    {
      item: {
        ConditionCheck: {
          TableName: TABLE_NAME,
          Key: addressKeys(organizationId, address.addressId),
          ...holds(address),
        },
      },
    },
  ]);
  return result.ok;
}

// ---- Free credits (R16) ---------------------------------------------------------------------

/** Access pattern: grant a credit — PutItem ORG#<id> / CREDIT#<id>. */
export async function putCredit(credit: Credit): Promise<void> {
  // Stryker disable next-line ObjectLiteral,BlockStatement: equivalent — a credit's id is a new ULID, so nothing is overwritten (and the refusal is unreachable)
  if (!(await putItem(creditItem.toItem(credit), { expression: 'attribute_not_exists(pk)' }))) {
    // Stryker disable next-line all: unreachable — a credit's id is a new ULID
    throw new Error(`Credit ${credit.creditId} exists already`);
  }
}

/** Access pattern: an account's credits — Query sk begins_with CREDIT#. */
export async function listCredits(organizationId: string): Promise<Credit[]> {
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent here — DynamoDB Local reads consistently either way
  const items = await queryPrefix(accountPartition(organizationId), CREDIT_PREFIX, { consistent: true });
  return items.map(creditItem.fromItem);
}

/** Access pattern: a page of an account's credits, oldest first — the same Query, limited. */
export async function listCreditsPage(organizationId: string, page: PageRequest): Promise<Page<Credit>> {
  return accountPage(organizationId, CREDIT_PREFIX, page, creditItem.fromItem, {
    oldestFirst: true,
    // Stryker disable next-line BooleanLiteral: equivalent here — DynamoDB Local reads consistently either way
    consistent: true,
  });
}

// ---- Promo codes (R17) ----------------------------------------------------------------------

/** Access pattern: create a promo code — PutItem PROMO#<code> / PROMO (new codes only). */
export async function putPromoCode(promo: PromoCode): Promise<boolean> {
  return putItem(promoItem.toItem(promo), { expression: 'attribute_not_exists(pk)' });
}
