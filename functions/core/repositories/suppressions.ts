import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { type Suppression, suppressionKeys } from '../entities/suppression.ts';
import { batchGet, getItem, TABLE_NAME } from './table.ts';

const suppressionOf = (item: Record<string, unknown>): Suppression => ({
  reason: item.reason === 'complaint' ? 'complaint' : 'bounce',
  since: String(item.since),
});

/**
 * Access pattern: record an address SES reported — UpdateItem SUPPRESSED#<address> / MAIL; the
 * first report's time stays, the latest reason wins (a complaint after a bounce says more).
 */
export async function recordSuppression(address: string, reason: Suppression['reason'], at: string) {
  await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: suppressionKeys(address),
      UpdateExpression:
        'SET #type = :type, reason = :reason, lastAt = :at, since = if_not_exists(since, :at)',
      ExpressionAttributeNames: { '#type': 'type' },
      // Stryker disable next-line StringLiteral: equivalent — a suppression is read by its key; the type names the item for people reading the table
      ExpressionAttributeValues: { ':type': 'Suppression', ':reason': reason, ':at': at },
    }),
  );
}

/** Access pattern: is an address suppressed — GetItem SUPPRESSED#<address> / MAIL. */
export async function getSuppression(address: string): Promise<Suppression | undefined> {
  const item = await getItem(suppressionKeys(address));
  return item ? suppressionOf(item) : undefined;
}

/** Access pattern: which of a page's addresses are suppressed — one BatchGetItem. */
export async function suppressionsOf(addresses: string[]): Promise<Map<string, Suppression>> {
  // One key per address whatever its case (BatchGetItem refuses a key twice).
  // Stryker disable next-line MethodExpression: equivalent — the keys are lower case either way; upper case joins the same addresses
  const unique = [...new Set(addresses.map((a) => a.toLowerCase()))];
  if (!unique.length) return new Map();
  const items = await batchGet(unique.map(suppressionKeys));
  return new Map(items.map((item) => [String(item.pk).slice('SUPPRESSED#'.length), suppressionOf(item)]));
}

/**
 * A page of people (members, invitations) with, for each whose address no e-mail reaches any
 * more, why — for the account's admins (issue 15). One BatchGetItem per page.
 */
export async function withSuppressions<T extends { email: string }>(page: {
  items: T[];
  lastKey?: Record<string, unknown>;
}): Promise<{ items: (T & { mailSuppressed?: Suppression })[]; lastKey?: Record<string, unknown> }> {
  const suppressed = await suppressionsOf(page.items.map((i) => i.email));
  return {
    ...page,
    items: page.items.map((item) => {
      const found = suppressed.get(item.email.toLowerCase());
      return found ? { ...item, mailSuppressed: found } : item;
    }),
  };
}
