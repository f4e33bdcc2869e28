import { createHmac, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { requiredEnv } from './config.ts';
import { ValidationFailed } from './errors.ts';
import type { Page, PageRequest } from './repositories/table.ts';

/**
 * Page cursors (issue 13): opaque to clients and tamper-proof. A cursor is the DynamoDB key a
 * page ends at, bound to the listing it belongs to (`scope`: which account, which filter), and
 * signed with HMAC-SHA256 under the stage's key (a Secrets Manager secret created by the
 * stack, read once per execution environment). A cursor edited, made up, or taken from
 * another account's listing is a 400 on the query parameter, never a query DynamoDB refuses.
 */
let key: Promise<Buffer> | undefined;

/**
 * The key is looked up when a list is first paged, not when the module loads: a service module
 * that lists and also does other things is imported by functions that never page (and have no
 * CURSOR_KEY_ARN, docs/decisions.md — least privilege per route).
 */
function signingKey(): Promise<Buffer> {
  key ??= new SecretsManagerClient({})
    .send(new GetSecretValueCommand({ SecretId: requiredEnv('CURSOR_KEY_ARN') }))
    .then(({ SecretString }) => Buffer.from(String(SecretString)))
    .catch((error: unknown) => {
      key = undefined;
      throw error;
    });
  return key;
}

const mac = (secret: Buffer, scope: string, payload: string) =>
  createHmac('sha256', secret).update(`${scope}\n${payload}`).digest();

/** The cursor for the page after the one that ended at `lastKey`, or null at the end. */
export async function encodeCursor(
  lastKey: Record<string, unknown> | undefined,
  scope: string,
): Promise<string | null> {
  if (!lastKey) return null;
  const payload = Buffer.from(JSON.stringify(lastKey)).toString('base64url');
  return `${payload}.${mac(await signingKey(), scope, payload).toString('base64url')}`;
}

/** The key a cursor of this listing stands for; anything else → 400 at `pointer`. */
export async function decodeCursor(
  cursor: string | undefined,
  scope: string,
  pointer = '/query/cursor',
): Promise<Record<string, unknown> | undefined> {
  if (cursor === undefined) return undefined;
  const refused = new ValidationFailed([
    { pointer, detail: 'Not a cursor from a previous page of this list.' },
  ]);
  const [payload, signature, ...rest] = cursor.split('.');
  if (!payload || !signature || rest.length) throw refused;
  const expected = mac(await signingKey(), scope, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused;
  const key = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown;
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw refused;
  return key as Record<string, unknown>;
}

/**
 * A page of a list as every list route answers it: `read` gets the size and where the page
 * starts (from the cursor, which must belong to `scope`), the answer the items and the signed
 * cursor of the next page — null on the last one.
 */
export async function answerPage<T>(
  scope: string,
  query: { limit: number; cursor?: string | undefined },
  read: (page: PageRequest) => Promise<Page<T>>,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const start = await decodeCursor(query.cursor, scope);
  const page = await read({ limit: query.limit, ...(start ? { start } : {}) });
  return { items: page.items, nextCursor: await encodeCursor(page.lastKey, scope) };
}
