/**
 * Structured creditor references (ISO 11649, "RF…"): what a bank transfer carries so that the
 * payment can be matched to its invoice or pro-forma (R15). Valid in a Swiss QR-bill with an
 * ordinary IBAN (reference type SCOR).
 */
function mod97(digits: string): number {
  let remainder = 0;
  for (const char of digits) remainder = (remainder * 10 + Number(char)) % 97;
  return remainder;
}

const toDigits = (text: string) =>
  [...text.toUpperCase()].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');

/** `INV00000042` → `RF18INV00000042` (body: 1–21 letters and digits). */
export function creditorReference(body: string): string {
  if (!/^[A-Z0-9]{1,21}$/.test(body)) throw new Error(`Not a reference body: ${body}`);
  const check = 98 - mod97(toDigits(`${body}RF00`));
  return `RF${String(check).padStart(2, '0')}${body}`;
}

export function isCreditorReference(reference: string): boolean {
  const compact = reference.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(compact)) return false;
  return mod97(toDigits(compact.slice(4) + compact.slice(0, 4))) === 1;
}

/** References are compared without spaces, in upper case. */
export const normalizeReference = (reference: string) => reference.replace(/\s+/g, '').toUpperCase();

/** An IBAN's check digits use the same ISO 7064 mod 97-10 as creditor references. */
export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  return mod97(toDigits(compact.slice(4) + compact.slice(0, 4))) === 1;
}
