/**
 * Calendar days (YYYY-MM-DD) as the provider counts them: in Swiss time. Product terms, due
 * dates and reminder stages are days, not instants.
 */

/** The day of the month of `month`'s (0–11) last Sunday in `year`. */
const lastSunday = (year: number, month: number) => {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
};

/**
 * Swiss time's offset from UTC, in hours, at `now`: +1 (CET), and +2 (CEST) from 01:00 UTC on
 * the last Sunday of March to 01:00 UTC on the last Sunday of October, the rule Switzerland has
 * kept with the EU since 1996. Computed, not asked of Intl: the first Intl formatter a process
 * makes loads the ICU data, about 30 ms of every cold start that reads the date (issue 16). A
 * unit test holds this against the runtime's time-zone database hour by hour, so a change of
 * rule fails it.
 */
const swissOffsetHours = (now: Date): number => {
  const year = now.getUTCFullYear();
  const t = now.getTime();
  return t >= Date.UTC(year, 2, lastSunday(year, 2), 1) && t < Date.UTC(year, 9, lastSunday(year, 9), 1)
    ? 2
    : 1;
};

/** The day it is in Switzerland at `now`. */
export function today(now = new Date()): string {
  return new Date(now.getTime() + swissOffsetHours(now) * 3_600_000).toISOString().slice(0, 10);
}

const parse = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};
const format = (date: Date) => date.toISOString().slice(0, 10);

export const addDays = (day: string, days: number): string => {
  const date = parse(day);
  date.setUTCDate(date.getUTCDate() + days);
  return format(date);
};

/** Same day `months` later; the 31st becomes the month's last day when it has fewer days. */
export function addMonths(day: string, months: number): string {
  const date = parse(day);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return format(target);
}

/** The last day of a term of `months` starting on `start`. */
export const termEnd = (start: string, months: number): string => addDays(addMonths(start, months), -1);
