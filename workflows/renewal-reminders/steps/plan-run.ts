import * as z from 'zod';
import { ACCOUNTS_PER_STEP, planRun } from '#core/reminders.ts';
import { task } from '../../task.ts';

/** State PlanRun (R26): the run's day (Swiss calendar) and one work item per shard. Pure: no AWS call. */
export const handler = task(
  z.object({
    day: z.iso.date().optional(),
    scheduledTime: z.string().optional(),
    accountsPerStep: z.number().int().min(1).max(ACCOUNTS_PER_STEP).optional(),
  }),
  async (input) => planRun(input),
);
