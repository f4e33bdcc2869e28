import { describe, expect, it } from 'vitest';
import { addDays, addMonths, termEnd, today } from '#core/dates.ts';

/** The runtime's time-zone database, which `today` must agree with without asking it. */
const swissDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Zurich',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

describe('the day in Switzerland', () => {
  it('agrees with the time-zone database at every hour from 2024 to 2032', () => {
    const wrong: string[] = [];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2033, 0, 1); t += 3_600_000) {
      const now = new Date(t);
      if (today(now) !== swissDay.format(now)) wrong.push(now.toISOString());
    }
    expect(wrong).toEqual([]);
  });

  it('turns at Swiss midnight, in winter and in summer time', () => {
    // Winter: midnight in Zurich is 23:00 UTC the day before.
    expect(today(new Date('2026-01-14T22:59:59Z'))).toBe('2026-01-14');
    expect(today(new Date('2026-01-14T23:00:00Z'))).toBe('2026-01-15');
    // Summer: 22:00 UTC.
    expect(today(new Date('2026-07-14T21:59:59Z'))).toBe('2026-07-14');
    expect(today(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
  });

  it('changes offset at 01:00 UTC on the last Sundays of March and October', () => {
    // 29 March 2026: at 00:59 UTC still +1, so 22:59 UTC the day before is still the 28th.
    expect(today(new Date('2026-03-28T22:59:00Z'))).toBe('2026-03-28');
    expect(today(new Date('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    // 25 October 2026: the night of the 24th to 25th is still summer time.
    expect(today(new Date('2026-10-24T21:59:00Z'))).toBe('2026-10-24');
    expect(today(new Date('2026-10-24T22:00:00Z'))).toBe('2026-10-25');
    // After the change, midnight is 23:00 UTC again.
    expect(today(new Date('2026-10-25T22:59:00Z'))).toBe('2026-10-25');
    expect(today(new Date('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
  });
});

describe('calendar arithmetic', () => {
  it('adds days across months and leap years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it("keeps the 31st as the month's last day when the month is shorter", () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', 12)).toBe('2027-03-31');
    expect(termEnd('2026-01-31', 1)).toBe('2026-02-27');
  });
});
