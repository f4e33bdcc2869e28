import * as z from 'zod/mini';
import { ACCOUNTS_PER_STEP } from '#core/reminders.ts';
import { remindShard } from '#core/services/reminders.ts';
import { task } from '../../task.ts';

/** State RemindShard (R25, R26): the products of one shard due that day, one e-mail per recipient and account; at most ACCOUNTS_PER_STEP accounts, after `after`. */
export const handler = task(
  z.object({
    day: z.iso.date(),
    shard: z.int().check(z.gte(0)),
    after: z.optional(z.string()),
    accountsPerStep: z._default(z.int().check(z.gte(1), z.lte(ACCOUNTS_PER_STEP)), ACCOUNTS_PER_STEP),
    steps: z.optional(z.int().check(z.gte(0))),
    due: z.optional(z.int().check(z.gte(0))),
    reminded: z.optional(z.int().check(z.gte(0))),
    emails: z.optional(z.int().check(z.gte(0))),
  }),
  remindShard,
);
