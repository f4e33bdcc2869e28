import { addDays } from './dates.ts';
import type { ProductStatus } from './entities/product.ts';

/**
 * R12, a product's life by itself: not renewed by its expiry date, it becomes `expired` the day
 * after (blocked: the service stops, the name is held); still not renewed when the grace period
 * has passed, it is released — `terminated`, as the customer could have done (R14). Renewing
 * within the grace period brings it back (docs/decisions.md).
 */
export const GRACE_DAYS = 30;

/** The day the product's status changes next by itself, if it does. */
export function nextLifecycleDay(product: { status: ProductStatus; expiresOn: string }): string | undefined {
  if (product.status === 'active') return addDays(product.expiresOn, 1);
  if (product.status === 'expired') return addDays(product.expiresOn, 1 + GRACE_DAYS);
  return undefined;
}

/**
 * The term ends whose products may change status on `day` or on one of the `catchUpDays - 1`
 * days before it (a missed run catches up): those ending the day before (they expire, while
 * active) and those whose grace period ended the day before (they are released) — the inverse
 * of nextLifecycleDay, as ranges of the term-end index.
 */
export function lifecycleRanges(day: string, catchUpDays: number) {
  const ended = (days: number) => ({ from: addDays(day, -catchUpDays - days), to: addDays(day, -1 - days) });
  return { expire: ended(0), release: ended(GRACE_DAYS) };
}

/** What happens to the product by `day`: it expires, it is released, or nothing. */
export function lifecycleStep(
  product: { status: ProductStatus; expiresOn: string },
  day: string,
): 'expire' | 'release' | undefined {
  const due = nextLifecycleDay(product);
  if (!due || due > day) return undefined;
  return product.status === 'active' && addDays(product.expiresOn, 1 + GRACE_DAYS) > day
    ? 'expire'
    : 'release';
}
