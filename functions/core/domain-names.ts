import { domainToASCII, domainToUnicode } from 'node:url';
import type { ProductType } from './catalog.ts';
import { isSafeText, UNSAFE_TEXT } from './schemas.ts';

/**
 * Product names (R12). A domain and a mail service are each for one domain name; a web hosting
 * (set up before or without its domain) and a backup have a free label. Domain names may be internationalised (IDN): they are
 * checked in their ASCII form (punycode, RFC 5890/5891 via WHATWG's domainToASCII) and stored
 * in their Unicode form, lowercased, without a trailing dot.
 */

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A top-level domain: letters only, or an IDN TLD in punycode. */
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export type NameCheck = { ok: true; name: string } | { ok: false; detail: string };

/** A domain name: at least two labels, each 1–63 letters, digits or inner hyphens, ≤ 253 in all. */
export function checkDomainName(input: string): NameCheck {
  if (!isSafeText(input)) return { ok: false, detail: UNSAFE_TEXT };
  const trimmed = input.trim().replace(/\.$/, '');
  if (/[\s/:@]/.test(trimmed) || trimmed === '') {
    return { ok: false, detail: 'Not a domain name: use letters, digits, hyphens and dots (example.ch).' };
  }
  const ascii = domainToASCII(trimmed);
  if (ascii === '' || ascii.length > 253) return { ok: false, detail: 'Not a valid domain name.' };
  const labels = ascii.split('.');
  if (labels.length < 2)
    return { ok: false, detail: 'A domain name needs a name and an ending (example.ch).' };
  // "ab--" in third and fourth position is reserved for encodings; only punycode ("xn--") is valid.
  const bad = labels.find((l) => !LABEL.test(l) || (l.slice(2, 4) === '--' && !l.startsWith('xn--')));
  if (bad === '') return { ok: false, detail: 'Not a valid domain name: two dots in a row.' };
  if (bad !== undefined)
    return { ok: false, detail: `Not a valid domain name: the part "${bad}" is not allowed.` };
  if (!TLD.test(String(labels.at(-1))))
    return { ok: false, detail: 'Not a valid domain name: unknown ending.' };
  return { ok: true, name: domainToUnicode(ascii) };
}

/** A free product label: printable, no control characters. */
export function checkLabel(input: string): NameCheck {
  if (!isSafeText(input)) return { ok: false, detail: UNSAFE_TEXT };
  const name = input.normalize('NFC').trim();
  if (name === '' || name.length > 100) return { ok: false, detail: 'A name of 1 to 100 characters.' };
  return { ok: true, name };
}

const DOMAIN_BOUND: ReadonlySet<ProductType> = new Set(['domain', 'mail-service']);

/** The name check of a product type, and the name to store. */
export const checkProductName = (type: ProductType, name: string): NameCheck =>
  DOMAIN_BOUND.has(type) ? checkDomainName(name) : checkLabel(name);
