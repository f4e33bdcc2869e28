import * as z from 'zod';
import { remindShard } from '#core/services/reminders.ts';
import { task } from '../../task.ts';

/** State RemindShard (R25, R26): the products of one shard due that day, one e-mail per recipient and account. */
export const handler = task(z.object({ day: z.iso.date(), shard: z.number().int().min(0) }), remindShard);
