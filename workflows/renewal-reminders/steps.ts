import * as z from 'zod';
import { planRun } from '#core/reminders.ts';
import { remindShard } from '#core/services/reminders.ts';

/** Task handlers of the renewal-reminder workflow (R25, R26). */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const plan = async (event: unknown) =>
  planRun(z.object({ day: Day.optional(), scheduledTime: z.string().optional() }).parse(event ?? {}));

export const shard = async (event: unknown) =>
  remindShard(z.object({ day: Day, shard: z.number().int().min(0) }).parse(event));
