import * as z from 'zod/mini';
import { advanceShard } from '#core/services/lifecycle.ts';
import { task } from '../../task.ts';

/** State AdvanceLifecycle (R12): in one shard, products past their expiry expire; past their grace period, they are released. */
export const handler = task(z.object({ day: z.iso.date(), shard: z.int().check(z.gte(0)) }), advanceShard);
