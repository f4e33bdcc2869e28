import * as z from 'zod';
import { ACCOUNTS_PER_STEP } from '#core/reminders.ts';
import { remindShard } from '#core/services/reminders.ts';
import { task } from '../../task.ts';

/** State RemindShard (R25, R26): the products of one shard due that day, one e-mail per recipient and account; at most ACCOUNTS_PER_STEP accounts, after `after`. */
export const handler = task(
  z.object({
    day: z.iso.date(),
    shard: z.number().int().min(0),
    after: z.string().optional(),
    accountsPerStep: z.number().int().min(1).max(ACCOUNTS_PER_STEP).default(ACCOUNTS_PER_STEP),
    steps: z.number().int().min(0).optional(),
    due: z.number().int().min(0).optional(),
    reminded: z.number().int().min(0).optional(),
    emails: z.number().int().min(0).optional(),
  }),
  remindShard,
);
