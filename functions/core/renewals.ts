import { addDays } from './dates.ts';
import type { Product } from './entities/product.ts';

/** Products whose term ends within this many days are "to pay" (R23). */
export const RENEWAL_WINDOW_DAYS = 60;

/** R23: a product is offered for renewal once its term ends within the window, unless terminated. */
export function dueForRenewal(product: Pick<Product, 'status' | 'expiresOn'>, today: string): boolean {
  return product.status !== 'terminated' && product.expiresOn <= addDays(today, RENEWAL_WINDOW_DAYS);
}
