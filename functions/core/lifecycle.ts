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
