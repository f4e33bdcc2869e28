import { mapLimit } from '../concurrency.ts';
import type { Product } from '../entities/product.ts';
import { lifecycleRanges, lifecycleStep } from '../lifecycle.ts';
import { logger } from '../logger.ts';
import { currentProducts, listTermsEnded } from '../repositories/lifecycle.ts';
import { changeProductStatus } from '../repositories/products.ts';
import { withoutRenewal } from '../repositories/renewal-release.ts';
import { releasesOf } from './renewal-release.ts';

/** A run also handles what a missed run of the last days left (the index keeps it). */
const CATCH_UP_DAYS = 7;
/** Products changed at once: requests in flight, not one product after another. */
const PRODUCTS_AT_ONCE = 10;

export interface LifecycleOutcome {
  expired: number;
  released: number;
}

/**
 * R12, daily per shard: a product not renewed by its expiry date becomes `expired` (blocked);
 * one still not renewed after its grace period is released (terminated, its open renewal
 * invoice voided). Reads two ranges of the term-end index (R26) — the active products whose
 * term ended in the catch-up days, and every product whose grace period ended in them — then
 * the products in consistent BatchGetItems; changes ten at a time, each conditional on the
 * product as read, so a rerun or a renewal meanwhile changes nothing twice.
 */
export async function advanceShard(input: { day: string; shard: number }): Promise<LifecycleOutcome> {
  const ranges = lifecycleRanges(input.day, CATCH_UP_DAYS);
  const due = (
    await Promise.all([
      listTermsEnded(input.shard, ranges.expire, 'active'),
      listTermsEnded(input.shard, ranges.release),
    ])
  ).flat();
  const outcome: LifecycleOutcome = { expired: 0, released: 0 };
  // The index is eventually consistent: decide on the products as they are now.
  const current = await currentProducts(due);
  await mapLimit(current, PRODUCTS_AT_ONCE, async (product) => {
    const step = lifecycleStep(product, input.day);
    if (step === 'expire') {
      if (await changeProductStatus(product, { ...product, status: 'expired' }, undefined, 'system'))
        outcome.expired++;
    } else if (step === 'release') {
      const [release] = await releasesOf([product]);
      const { nextReminder: _, ...rest } = withoutRenewal(product);
      const released: Product = {
        ...rest,
        status: 'terminated',
        terminatedAt: new Date().toISOString(),
        endedBy: 'expiry',
      };
      if (await changeProductStatus(product, released, release, 'system')) outcome.released++;
    }
  });
  logger.info('lifecycle shard done', { ...input, ...outcome });
  return outcome;
}
