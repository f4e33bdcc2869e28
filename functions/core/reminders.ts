import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { addDays, today } from './dates.ts';
import { lazy } from './lazy-schema.ts';

/**
 * Renewal reminders (R25, R26), the pure part. A stage is a number of days before the end of
 * a product's term (positive) or after it (negative: -1 = the day after it expired). Each
 * product carries its next stage (`nextReminder`) and sits in the sparse, sharded GSI2 by the
 * end of its term; the daily run reads, for each stage in use, the terms that stage makes due.
 */
export const DEFAULT_STAGES = [30, 14, 7, 1, -1];
/** An account may choose its own stages, up to 60 days ahead (R25). */
export const ReminderStages = /* @__PURE__ */ lazy(() =>
  z
    .array(
      z.number().check(
        z.int(),
        z.gte(-30),
        z.lte(60),
        z.refine((d) => d !== 0, 'A stage is a day before or after expiry, not the day itself.'),
      ),
    )
    .check(
      z.minLength(1),
      z.maxLength(10),
      z.refine((s) => new Set(s).size === s.length, 'Stages must differ.'),
    ),
);

export const REMINDER_SHARDS = 8;

export interface ReminderStage {
  /** Days before expiry (negative: after). */
  stage: number;
  /** The day the reminder is due (YYYY-MM-DD). */
  day: string;
}

/** The first stage of the term ending on `expiresOn` that is due on `fromDay` or later. */
export function nextStage(expiresOn: string, stages: number[], fromDay: string): ReminderStage | undefined {
  return [...stages]
    .sort((a, b) => b - a)
    .map((stage) => ({ stage, day: addDays(expiresOn, -stage) }))
    .find((s) => s.day >= fromDay);
}

/**
 * The term ends a run reads to find the stages due from `from` to `to` (days, inclusive): for
 * each stage in use, the terms ending `stage` days after those days; ranges that touch or
 * overlap are read as one (the default stages: two ranges, not five).
 */
export function termRanges(
  stages: Iterable<number>,
  from: string,
  to: string,
): { from: string; to: string }[] {
  const merged: { from: string; to: string }[] = [];
  // Every range is as long as the run's days: in order of their start, a range that starts at
  // most a day after the last one ends extends it.
  for (const stage of [...new Set(stages)].sort((a, b) => a - b)) {
    const range = { from: addDays(from, stage), to: addDays(to, stage) };
    const last = merged.at(-1);
    if (last && range.from <= addDays(last.to, 1)) last.to = range.to;
    else merged.push(range);
  }
  return merged;
}

/** The stage after `stage` for the same term, if any. */
export function stageAfter(expiresOn: string, stages: number[], stage: number): ReminderStage | undefined {
  const later = [...stages].sort((a, b) => b - a).filter((s) => s < stage);
  const [next] = later;
  return next === undefined ? undefined : { stage: next, day: addDays(expiresOn, -next) };
}

/**
 * Accounts spread over shards so that one day's index partition never runs hot; all products
 * of one account share a shard, so one step sees all of them and sends one e-mail (R25).
 */
export function shardOf(organizationId: string): number {
  return (createHash('sha1').update(organizationId).digest()[0] ?? 0) % REMINDER_SHARDS;
}

/**
 * Accounts one shard step works at most. A shard with more due is worked in several steps, each
 * going on after the last account of the one before: a day's volume adds steps, never length
 * to a step, so no step comes near its timeout however many products are due. A run may ask
 * for smaller steps (`accountsPerStep`), never larger ones.
 */
export const ACCOUNTS_PER_STEP = 500;

/** The first step of a run: its day (Swiss calendar) and one work item per shard. */
export function planRun(input: { day?: string; scheduledTime?: string; accountsPerStep?: number }) {
  const day = input.day ?? today(input.scheduledTime ? new Date(input.scheduledTime) : new Date());
  const accountsPerStep = Math.min(input.accountsPerStep ?? ACCOUNTS_PER_STEP, ACCOUNTS_PER_STEP);
  return {
    day,
    shards: Array.from({ length: REMINDER_SHARDS }, (_, shard) => ({ day, shard, accountsPerStep })),
  };
}
