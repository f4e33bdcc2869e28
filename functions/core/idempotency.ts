import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { Conflict } from './errors.ts';
import type { HttpEvent, Idempotency, Reply } from './http.ts';
import { logger } from './logger.ts';
import { claimKey, keepAnswer, releaseKey } from './repositories/idempotency.ts';

/** What an `Idempotency-Key` is (POST /v1/orders requires one: it gives its own `string`). */
export const idempotencyKey = (string = z.string()) =>
  string.check(z.minLength(8), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, - and _.'));

/** The `Idempotency-Key` header of a creating POST: a client's own id for one request. */
export const IdempotencyKey = idempotencyKey().check(
  z.describe(
    'Your id for this request (8–100 letters, digits, - and _; a UUID does). A retry with the same ' +
      'key and the same request within 24 h gets the first answer again (header ' +
      '`Idempotent-Replayed: true`) and changes nothing; the same key with another request is a 409.',
  ),
);

/**
 * How long a request holds its key before a retry may run it again: a little more than API
 * Gateway waits for a function (30 s), so a request still at work is never run twice.
 */
export const KEY_LOCK_MS = 35_000;

/** What makes two requests the same: the route, the path (with its ids) and the body's bytes. */
const fingerprint = (event: HttpEvent) =>
  createHash('sha256')
    .update(`${event.routeKey}\n${event.rawPath}\n${event.body ?? ''}`)
    .digest('hex');

/**
 * Runs a creating request once per (user, Idempotency-Key) (issue 14): the key is taken before
 * the request runs; a success's answer is kept under it for 24 h and given again to a retry; a
 * failure frees the key, so that a retry runs again (a 409 for a state that has changed since
 * is not an answer to keep). A retry while the first is still at work is a 409 to try again.
 */
export async function once(
  userId: string,
  key: string,
  event: HttpEvent,
  run: () => Promise<Reply>,
): Promise<Reply> {
  const requestHash = fingerprint(event);
  const holder = await claimKey(userId, key, requestHash, KEY_LOCK_MS);
  if (holder) {
    if (holder.requestHash !== requestHash) {
      throw new Conflict('This Idempotency-Key was used for a different request: use a new key.');
    }
    if (holder.state === 'started') {
      throw new Conflict('The first request with this Idempotency-Key is still at work: try again shortly.');
    }
    const { answer } = holder;
    return {
      status: answer.status,
      ...(answer.body === undefined ? {} : { body: answer.body }),
      headers: { ...answer.headers, 'idempotent-replayed': 'true' },
    };
  }
  let reply: Reply | undefined;
  try {
    reply = await run();
    return reply;
  } finally {
    // The request's own answer stands even when keeping or freeing the key fails: the key's
    // lock then runs out, and only after that may a retry run the request again. A refusal
    // (a retry took the key over once this request's lock ran out) is logged the same way:
    // the request ran longer than its lock, which is worth knowing.
    const done = reply;
    await (done && done.status < 300 && done.text === undefined
      ? keepAnswer(userId, key, requestHash, {
          status: done.status,
          ...(done.body === undefined ? {} : { body: done.body }),
          ...(done.headers ? { headers: done.headers } : {}),
        })
      : releaseKey(userId, key, requestHash)
    ).catch((error: unknown) => logger.warn('idempotency key not settled', { error: error as Error }));
  }
}

/** `route({ idempotent })`: a creating POST that takes an optional Idempotency-Key header. */
export const idempotent: Idempotency = { key: IdempotencyKey, once };
