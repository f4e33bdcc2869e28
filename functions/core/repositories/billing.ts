import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import {
  addressKeys,
  type BillingAddress,
  type Credit,
  creditKeys,
  type PromoCode,
  promoKeys,
} from '../entities/billing.ts';
import { organizationKeys } from '../entities/organization.ts';
import { isConditionFailure, queryAll, TABLE_NAME } from './table.ts';

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
};

// ---- Billing addresses (R20) ----------------------------------------------------------------

/** Item of a new billing address (an order's transaction may include it). */
export const addressItem = (organizationId: string, address: BillingAddress) => ({
  ...addressKeys(organizationId, address.addressId),
  type: 'BillingAddress',
  ...address,
});

/** Access pattern: an account's billing addresses — Query sk begins_with ADDRESS#. */
export async function listAddresses(organizationId: string): Promise<BillingAddress[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :address)',
    ExpressionAttributeValues: { ':pk': `ORG#${organizationId}`, ':address': 'ADDRESS#' },
  });
  return items.map((i) => strip<BillingAddress>(i));
}

/** Access pattern: one billing address — GetItem ORG#<id> / ADDRESS#<id>. */
export async function getAddress(
  organizationId: string,
  addressId: string,
): Promise<BillingAddress | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: TABLE_NAME,
      Key: addressKeys(organizationId, addressId),
      ConsistentRead: true,
    }),
  );
  return Item ? strip<BillingAddress>(Item) : undefined;
}

/** Access pattern: add an address — PutItem; the first one also becomes the default (UpdateItem if none). */
export async function putAddress(organizationId: string, address: BillingAddress): Promise<void> {
  await dynamo.send(new PutCommand({ TableName: TABLE_NAME, Item: addressItem(organizationId, address) }));
  await dynamo
    .send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: organizationKeys(organizationId),
        UpdateExpression: 'SET defaultBillingAddressId = :id',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(defaultBillingAddressId)',
        ExpressionAttributeValues: { ':id': address.addressId },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Access pattern: edit an address — PutItem with condition it exists (invoices keep their copies). */
export async function replaceAddress(organizationId: string, address: BillingAddress): Promise<boolean> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: addressItem(organizationId, address),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
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
  await dynamo.send(
    new PutCommand({
      TableName: TABLE_NAME,
      Item: { ...creditKeys(credit.organizationId, credit.creditId), type: 'Credit', ...credit },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** Access pattern: an account's credits — Query sk begins_with CREDIT#. */
export async function listCredits(organizationId: string): Promise<Credit[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :credit)',
    ExpressionAttributeValues: { ':pk': `ORG#${organizationId}`, ':credit': 'CREDIT#' },
    ConsistentRead: true,
  });
  return items.map((i) => strip<Credit>(i));
}

// ---- Promo codes (R17) ----------------------------------------------------------------------

/** Access pattern: create a promo code — PutItem PROMO#<code> / PROMO (new codes only). */
export async function putPromoCode(promo: PromoCode): Promise<boolean> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: { ...promoKeys(promo.code), type: 'PromoCode', ...promo },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Access pattern: one promo code — GetItem PROMO#<code> / PROMO. */
export async function getPromoCode(code: string): Promise<PromoCode | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: TABLE_NAME, Key: promoKeys(code), ConsistentRead: true }),
  );
  return Item ? strip<PromoCode>(Item) : undefined;
}
