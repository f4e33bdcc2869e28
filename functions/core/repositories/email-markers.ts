import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { emailMarkerKeys } from '../entities/records.ts';
import { putItem, TABLE_NAME } from './table.ts';

/** Sent-markers outlive any retry (Lambda, Step Functions, a client resending). */
const MARKER_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Access pattern: claim an e-mail's key before sending it — PutItem EMAIL#<key> only if absent.
 * False: it was claimed (sent) already.
 */
export async function claimEmail(key: string, to: string, template: string): Promise<boolean> {
  return putItem(
    {
      ...emailMarkerKeys(key),
      type: 'EmailSent',
      to,
      template,
      expiresAt: Math.floor(Date.now() / 1000) + MARKER_TTL_SECONDS,
    },
    { expression: 'attribute_not_exists(pk)' },
  );
}

/** Access pattern: release a claim whose e-mail could not be sent — DeleteItem EMAIL#<key>. */
export async function releaseEmail(key: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: TABLE_NAME, Key: emailMarkerKeys(key) }));
}
