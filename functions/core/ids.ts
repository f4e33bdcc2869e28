import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ulid } from 'ulid';
import { ValidationFailed } from './errors.ts';

/**
 * Sortable, unique ids for every entity (time-ordered: newest last in a Query). The 80 random
 * bits come from one `randomBytes` call: ulid's own generator reads `globalThis.crypto`, whose
 * first use loads Node's whole Web Crypto module, about 10 ms of a cold function's first call,
 * then makes 16 calls of one byte each (issue 16).
 */
export const newId = (): string => {
  const bytes = randomBytes(16);
  let next = 0;
  return ulid(undefined, () => (bytes[next++] ?? 0) / 256);
};

/** A one-time secret for a link in an e-mail: 256 random bits. Only its hash is stored. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: string | undefined): boolean {
  if (!storedHash) return false;
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/**
 * A link token names the item it unlocks and carries the secret: `<part>.<part>.<secret>`.
 * Parts are ids (ULIDs, UUIDs), which never contain a dot.
 */
export function composeToken(...parts: string[]): string {
  return parts.join('.');
}

/** A link token's `partCount` dot-separated parts; a token of another shape is refused on /body/token. */
export function splitToken(token: string, partCount: number, detail = 'Not a valid link token.'): string[] {
  const parts = token.split('.');
  if (parts.length !== partCount || parts.some((p) => p === '')) {
    throw new ValidationFailed([{ pointer: '/body/token', detail }]);
  }
  return parts;
}
