import type { Language } from './entities/user.ts';
import type { Currency } from './money.ts';

/**
 * Dates and amounts as a customer in Switzerland reads them in their language (it-CH, fr-CH,
 * de-CH, en-CH), by Intl: e-mails and documents use these, API messages stay in English.
 */
const locale = (language: Language) => `${language}-CH`;

/** A calendar day (`2026-03-01`) → `1 marzo 2026`, `1. März 2026`; no time, no time zone shift. */
export function formatDay(day: string, language: Language): string {
  return new Intl.DateTimeFormat(locale(language), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day.slice(0, 10)}T00:00:00Z`),
  );
}

/** A moment → its day and time, Swiss time (a link valid until …). */
export function formatDateTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(locale(language), {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Zurich',
  }).format(new Date(iso));
}

/** Minor units → `CHF 1'234.50` / `1'234.50 CHF`, as the language writes it. */
export function formatAmount(minor: number, currency: Currency, language: Language): string {
  return new Intl.NumberFormat(locale(language), { style: 'currency', currency }).format(minor / 100);
}
