import * as z from 'zod/mini';
import { ACCOUNTS_PER_STEP, planRun } from '#core/reminders.ts';
import { task } from '../../task.ts';

/** State PlanRun (R26): the run's day (Swiss calendar) and one work item per shard. Pure: no AWS call. */
export const handler = task(
  z.object({
    day: z.optional(z.iso.date()),
    scheduledTime: z.optional(z.string()),
    accountsPerStep: z.optional(z.int().check(z.gte(1), z.lte(ACCOUNTS_PER_STEP))),
  }),
  async (input) => planRun(input),
);
