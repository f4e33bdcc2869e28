import { calculateSCORReferenceChecksum, isIBANValid, isSCORReferenceValid } from 'swissqrbill/utils';

/**
 * Structured creditor references (ISO 11649, "RF…"): what a bank transfer carries so that the
 * payment can be matched to its invoice or pro-forma (R15). Valid in a Swiss QR-bill with an
 * ordinary IBAN (reference type SCOR). The ISO 7064 mod 97-10 arithmetic is swissqrbill's, the
 * library that draws the QR-bill.
 */

/** References are compared without spaces, in upper case. */
export const normalizeReference = (reference: string) => reference.replace(/\s+/g, '').toUpperCase();

/** `INV00000042` → `RF18INV00000042` (body: 1–21 letters and digits). */
export function creditorReference(body: string): string {
  if (!/^[A-Z0-9]{1,21}$/.test(body)) throw new Error(`Not a reference body: ${body}`);
  return `RF${calculateSCORReferenceChecksum(body)}${body}`;
}

export function isCreditorReference(reference: string): boolean {
  const compact = normalizeReference(reference);
  return /^RF\d{2}[A-Z0-9]{1,21}$/.test(compact) && isSCORReferenceValid(compact);
}

/** An IBAN: its shape (country, check digits, 11–30 letters and digits), then its check digits. */
export function isValidIban(iban: string): boolean {
  const compact = normalizeReference(iban);
  return /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact) && isIBANValid(compact);
}
