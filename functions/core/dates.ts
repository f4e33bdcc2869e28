/**
 * Calendar days (YYYY-MM-DD) as the provider counts them: in Swiss time. Product terms, due
 * dates and reminder stages are days, not instants.
 */
const ZONE = 'Europe/Zurich';

export function today(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
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
