import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STAGES,
  nextStage,
  REMINDER_SHARDS,
  ReminderStages,
  shardOf,
  stageAfter,
  termRanges,
} from '../../../functions/core/reminders.ts';

describe('reminder stages (R25)', () => {
  it('by default remind 30, 14, 7 and 1 days before expiry and the day after', () => {
    const days = [];
    let next = nextStage('2027-03-31', DEFAULT_STAGES, '2026-01-01');
    while (next) {
      days.push(next.day);
      next = stageAfter('2027-03-31', DEFAULT_STAGES, next.stage);
    }
    expect(days).toEqual(['2027-03-01', '2027-03-17', '2027-03-24', '2027-03-30', '2027-04-01']);
  });

  it('takes the stages in their order before expiry, however they were given, due on the day itself', () => {
    const stages = [7, 60, 30];

    expect(nextStage('2027-07-01', stages, '2027-05-01')).toEqual({ stage: 60, day: '2027-05-02' });
    expect(nextStage('2027-07-01', stages, '2027-05-03')).toEqual({ stage: 30, day: '2027-06-01' });
    expect(nextStage('2027-07-01', stages, '2027-06-01')).toEqual({ stage: 30, day: '2027-06-01' });
    expect(stageAfter('2027-07-01', stages, 60)).toEqual({ stage: 30, day: '2027-06-01' });
    expect(stageAfter('2027-07-01', stages, 7)).toBeUndefined();
    expect(stages).toEqual([7, 60, 30]);
  });

  it('a product ordered close to its expiry starts at the next stage still ahead', () => {
    expect(nextStage('2026-12-24', DEFAULT_STAGES, '2026-11-30')).toEqual({ stage: 14, day: '2026-12-10' });
    expect(nextStage('2026-12-24', DEFAULT_STAGES, '2026-12-26')).toBeUndefined();
  });

  it('an account may choose its own stages up to 60 days ahead', () => {
    expect(ReminderStages.safeParse([60, 20, -2]).success).toBe(true);
    expect(ReminderStages.safeParse([61]).success).toBe(false);
    expect(ReminderStages.safeParse([10, 10]).success).toBe(false);
    expect(ReminderStages.safeParse([0]).success).toBe(false);
  });

  it('spreads products evenly enough over the shards', () => {
    const counts = Array(REMINDER_SHARDS).fill(0);
    for (let i = 0; i < 8000; i++) counts[shardOf(`01JD${String(i).padStart(22, '0')}`)]++;
    for (const count of counts) expect(count).toBeGreaterThan(700);
  });
});

describe('the term ends a reminder run reads (R26, issue 16)', () => {
  it('reads, for each stage, the terms it makes due on the run’s days; touching ranges as one', () => {
    expect(termRanges(DEFAULT_STAGES, '2027-03-04', '2027-03-10')).toEqual([
      { from: '2027-03-03', to: '2027-03-24' },
      { from: '2027-04-03', to: '2027-04-09' },
    ]);
  });

  it('keeps a range apart when a day lies between, and reads a stage chosen twice once', () => {
    expect(termRanges([3, 1, 3], '2027-03-10', '2027-03-10')).toEqual([
      { from: '2027-03-11', to: '2027-03-11' },
      { from: '2027-03-13', to: '2027-03-13' },
    ]);
    expect(termRanges([2, 1], '2027-03-10', '2027-03-10')).toEqual([
      { from: '2027-03-11', to: '2027-03-12' },
    ]);
    expect(termRanges([5, 1], '2027-03-01', '2027-03-10')).toEqual([
      { from: '2027-03-02', to: '2027-03-15' },
    ]);
  });
});
