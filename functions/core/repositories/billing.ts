import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import {
  ADDRESS_PREFIX,
  addressItem,
  addressKeys,
  type BillingAddress,
  CREDIT_PREFIX,
  type Credit,
  creditItem,
  type PromoCode,
  promoItem,
} from '../entities/billing.ts';
import { accountPartition } from '../entities/item.ts';
import { organizationKeys } from '../entities/organization.ts';
import {
  accountPage,
  getItem,
  isConditionFailure,
  type Page,
  type PageRequest,
  putItem,
  queryPrefix,
  TABLE_NAME,
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

/** Access pattern: add an address — PutItem; the first one also becomes the default (UpdateItem if none). */
export async function putAddress(organizationId: string, address: BillingAddress): Promise<void> {
  await dynamo.send(
    new PutCommand({ TableName: TABLE_NAME, Item: addressItem(organizationId).toItem(address) }),
  );
  await adoptDefaultAddress(organizationId, address.addressId);
}

/**
 * Access pattern: an address becomes the default if the account has none — UpdateItem on the
 * account item, conditional on no default (absent, or null as accounts store it at creation).
 */
export async function adoptDefaultAddress(organizationId: string, addressId: string): Promise<void> {
  await dynamo
    .send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: organizationKeys(organizationId),
        UpdateExpression: 'SET defaultBillingAddressId = :id',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(defaultBillingAddressId) OR defaultBillingAddressId = :none)',
        ExpressionAttributeValues: { ':id': addressId, ':none': null },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Access pattern: edit an address — PutItem with condition it exists (invoices keep their copies). */
export async function replaceAddress(organizationId: string, address: BillingAddress): Promise<boolean> {
  return putItem(addressItem(organizationId).toItem(address), { expression: 'attribute_exists(pk)' });
}

/** Access pattern: choose the default address — UpdateItem on the account item. */
export async function setDefaultAddress(organizationId: string, addressId: string): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: organizationKeys(organizationId),
      UpdateExpression: 'SET defaultBillingAddressId = :id',
      ExpressionAttributeValues: { ':id': addressId },
    }),
  );
}

// ---- Free credits (R16) ---------------------------------------------------------------------

/** Access pattern: grant a credit — PutItem ORG#<id> / CREDIT#<id>. */
export async function putCredit(credit: Credit): Promise<void> {
  if (!(await putItem(creditItem.toItem(credit), { expression: 'attribute_not_exists(pk)' }))) {
    throw new Error(`Credit ${credit.creditId} exists already`);
  }
}

/** Access pattern: an account's credits — Query sk begins_with CREDIT#. */
export async function listCredits(organizationId: string): Promise<Credit[]> {
  const items = await queryPrefix(accountPartition(organizationId), CREDIT_PREFIX, { consistent: true });
  return items.map(creditItem.fromItem);
}

/** Access pattern: a page of an account's credits, oldest first — the same Query, limited. */
export async function listCreditsPage(organizationId: string, page: PageRequest): Promise<Page<Credit>> {
  return accountPage(organizationId, CREDIT_PREFIX, page, creditItem.fromItem, {
    oldestFirst: true,
    consistent: true,
  });
}

// ---- Promo codes (R17) ----------------------------------------------------------------------

/** Access pattern: create a promo code — PutItem PROMO#<code> / PROMO (new codes only). */
export async function putPromoCode(promo: PromoCode): Promise<boolean> {
  return putItem(promoItem.toItem(promo), { expression: 'attribute_not_exists(pk)' });
}
