import * as z from 'zod';
import { planRun } from '#core/reminders.ts';
import { task } from '../../task.ts';

/** State PlanRun (R26): the run's day (Swiss calendar) and one work item per shard. Pure: no AWS call. */
export const handler = task(
  z.object({ day: z.iso.date().optional(), scheduledTime: z.string().optional() }),
  async (input) => planRun(input),
);
