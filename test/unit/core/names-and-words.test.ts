import regular from 'roboto-fontface/fonts/roboto/Roboto-Regular.woff';
import { describe, expect, it } from 'vitest';
import { lineDescription } from '../../../functions/core/catalog.ts';
import { woffToSfnt } from '../../../functions/core/documents/woff.ts';
import { checkDomainName, checkLabel, checkProductName } from '../../../functions/core/domain-names.ts';
import { formatAmount, formatDay } from '../../../functions/core/formats.ts';
import {
  GRACE_DAYS,
  lifecycleRanges,
  lifecycleStep,
  nextLifecycleDay,
} from '../../../functions/core/lifecycle.ts';
import { describeRequirements } from '../../../functions/core/mail/copy-billing.ts';
import { CountryCode } from '../../../functions/core/schemas.ts';

describe('product names (R12)', () => {
  it.each([
    ['example.ch', 'example.ch'],
    ['Bücher.CH.', 'bücher.ch'],
    ['xn--bcher-kva.de', 'bücher.de'],
    ['a-b.c-d.swiss', 'a-b.c-d.swiss'],
    [`${'a'.repeat(63)}.ch`, `${'a'.repeat(63)}.ch`],
  ])('accepts the domain name %s, stored as %s', (input, stored) => {
    expect(checkDomainName(input)).toEqual({ ok: true, name: stored });
  });

  const SYNTAX = 'Not a domain name: use letters, digits, hyphens and dots (example.ch).';
  const part = (label: string) => `Not a valid domain name: the part "${label}" is not allowed.`;
  it.each([
    ['not a domain!!', SYNTAX],
    ['a b.ch', SYNTAX],
    ['user@example.ch', SYNTAX],
    ['http://example.ch', SYNTAX],
    ['', SYNTAX],
    ['.', SYNTAX],
    ['localhost', 'A domain name needs a name and an ending (example.ch).'],
    ['a..ch', 'Not a valid domain name: two dots in a row.'],
    ['-a.ch', part('-a')],
    ['a-.ch', part('a-')],
    ['ab--c.ch', part('ab--c')],
    ['exa_mple.ch', part('exa_mple')],
    [`${'a'.repeat(64)}.ch`, part('a'.repeat(64))],
    ['1.2.3.4', 'Not a valid domain name: unknown ending.'],
    ['a.b1', 'Not a valid domain name: unknown ending.'],
    [`${'a.'.repeat(126)}ch`, 'Not a valid domain name.'],
    ['a\u202E.ch', 'Control characters and text-direction overrides are not allowed.'],
  ])('refuses %j as a domain name, saying why', (input, detail) => {
    expect(checkDomainName(input)).toEqual({ ok: false, detail });
  });

  it('accepts a domain name of exactly 253 characters, and refuses one of 254', () => {
    const of = (last: number) =>
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(last)}.ch`;

    expect(of(58)).toHaveLength(253);
    expect(checkDomainName(of(58)).ok).toBe(true);
    expect(of(59)).toHaveLength(254);
    expect(checkDomainName(of(59))).toEqual({ ok: false, detail: 'Not a valid domain name.' });
  });

  it('takes a domain name with spaces around it as the name itself', () => {
    expect(checkDomainName('  example.ch ')).toEqual({ ok: true, name: 'example.ch' });
  });

  it('takes a free label of 1 to 100 characters, and says so past it', () => {
    expect(checkLabel('x'.repeat(100))).toEqual({ ok: true, name: 'x'.repeat(100) });
    expect(checkLabel('x'.repeat(101))).toEqual({ ok: false, detail: 'A name of 1 to 100 characters.' });
    expect(checkLabel('   ')).toEqual({ ok: false, detail: 'A name of 1 to 100 characters.' });
  });

  it('checks domain names for domains and mail services, labels for hosting and backup', () => {
    expect(checkProductName('domain', 'my site').ok).toBe(false);
    expect(checkProductName('mail-service', 'my site').ok).toBe(false);
    expect(checkProductName('web-hosting', 'my site')).toEqual({ ok: true, name: 'my site' });
    expect(checkProductName('backup', 'nightly\u0007').ok).toBe(false);
    expect(checkProductName('backup', ' ')).toMatchObject({ ok: false });
  });
});

describe('countries (R20)', () => {
  it('are the assigned ISO 3166-1 alpha-2 codes, upper-cased', () => {
    expect(CountryCode.safeParse('ch')).toEqual({ success: true, data: 'CH' });
    expect(CountryCode.safeParse('XX').success).toBe(false);
    expect(CountryCode.safeParse('EU').success).toBe(false);
    expect(CountryCode.safeParse('CHE').success).toBe(false);
  });
});

describe('words and numbers in the reader’s language', () => {
  it('writes calendar days without a time, in each language', () => {
    expect(formatDay('2027-03-01', 'it')).toBe('1 marzo 2027');
    expect(formatDay('2027-03-01', 'de')).toBe('1. März 2027');
    expect(formatDay('2027-03-01', 'fr')).toBe('1 mars 2027');
    expect(formatDay('2027-03-01', 'en')).toBe('1 March 2027');
  });

  it('writes amounts as Switzerland does in the language, to the centime', () => {
    expect(formatAmount(123_456, 'CHF', 'de').replace(/\s/g, ' ')).toBe("CHF 1'234.56");
    expect(formatAmount(123_456, 'CHF', 'fr').replace(/\s/g, ' ')).toBe("1'234.56 CHF");
    expect(formatAmount(29, 'CHF', 'en').replace(/\s/g, ' ')).toBe('CHF 0.29');
  });

  it('words invoice lines per language, renewals included', () => {
    const line = {
      productType: 'domain' as const,
      productName: 'example.ch',
      periodMonths: 12,
      renewal: true,
    };
    expect(lineDescription(line, 'it')).toBe('Rinnovo Nome a dominio example.ch, 12 mesi');
    expect(lineDescription({ ...line, renewal: false, periodMonths: 1 }, 'de')).toBe(
      'Domainname example.ch, 1 Monat',
    );
  });

  it('gives the reasons of a cancelled deletion in the requester’s language (R27)', () => {
    const unmet = [
      { code: 'products-not-terminated' as const, detail: '', products: ['a.ch', 'b.ch'] },
      { code: 'prepaid-balance' as const, detail: '', amount: 700, currency: 'CHF' as const },
      { code: 'open-invoices' as const, detail: '', invoices: ['INV-00000007'] },
    ];
    expect(describeRequirements(unmet, 'it').replace(/\s/g, ' ')).toBe(
      'disdica prima tutti i prodotti (a.ch, b.ch). prelevi prima il credito prepagato (CHF 7.00). paghi prima le fatture aperte (INV-00000007).',
    );
    expect(describeRequirements([], 'fr')).toBe('une condition n’était plus remplie.');
  });
});

describe('product life cycle (R12)', () => {
  const active = { status: 'active' as const, expiresOn: '2027-03-01' };
  it('expires the day after its expiry, and is released after the grace period', () => {
    expect(nextLifecycleDay(active)).toBe('2027-03-02');
    expect(lifecycleStep(active, '2027-03-01')).toBeUndefined();
    expect(lifecycleStep(active, '2027-03-02')).toBe('expire');
    const expired = { ...active, status: 'expired' as const };
    expect(nextLifecycleDay(expired)).toBe('2027-04-01');
    expect(lifecycleStep(expired, '2027-03-31')).toBeUndefined();
    expect(lifecycleStep(expired, '2027-04-01')).toBe('release');
    expect(GRACE_DAYS).toBe(30);
  });

  it('an active product found only after its grace period (missed runs) is released at once', () => {
    expect(lifecycleStep(active, '2027-04-01')).toBe('release');
    expect(nextLifecycleDay({ ...active, status: 'terminated' })).toBeUndefined();
  });

  it('a run reads the terms whose status changes on its day or the six before (R26)', () => {
    const ranges = lifecycleRanges('2027-04-07', 7);
    expect(ranges).toEqual({
      expire: { from: '2027-03-31', to: '2027-04-06' },
      release: { from: '2027-03-01', to: '2027-03-07' },
    });
    // The product above: it expires on 2027-03-02 and is released on 2027-04-01, both within.
    expect(ranges.release.from).toBe(active.expiresOn);
    expect(lifecycleRanges('2027-03-02', 7).expire.to).toBe(active.expiresOn);
  });
});

describe('the documents’ font', () => {
  it('unwraps WOFF into the TrueType file it holds', () => {
    const ttf = woffToSfnt(regular);
    expect(ttf.readUInt32BE(0)).toBe(0x0001_0000);
    const tables = ttf.readUInt16BE(4);
    const tags = Array.from({ length: tables }, (_, i) => ttf.toString('latin1', 12 + i * 16, 16 + i * 16));
    expect(tags).toEqual(expect.arrayContaining(['glyf', 'cmap', 'head', 'hmtx', 'loca']));
    for (let i = 0; i < tables; i++) {
      const offset = ttf.readUInt32BE(12 + i * 16 + 8);
      const length = ttf.readUInt32BE(12 + i * 16 + 12);
      expect(offset % 4).toBe(0);
      expect(offset + length).toBeLessThanOrEqual(ttf.length);
    }
    expect(() => woffToSfnt(new Uint8Array(ttf))).toThrow('Not a WOFF');
  });
});
