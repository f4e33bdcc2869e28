import regular from 'roboto-fontface/fonts/roboto/Roboto-Regular.woff';
import { describe, expect, it } from 'vitest';
import { lineDescription } from '../../../functions/core/catalog.ts';
import { woffToSfnt } from '../../../functions/core/documents/woff.ts';
import { checkDomainName, checkProductName } from '../../../functions/core/domain-names.ts';
import { formatAmount, formatDay } from '../../../functions/core/formats.ts';
import { GRACE_DAYS, lifecycleStep, nextLifecycleDay } from '../../../functions/core/lifecycle.ts';
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

  it.each([
    'not a domain!!',
    'localhost',
    'a..ch',
    '-a.ch',
    'a-.ch',
    'ab--c.ch',
    'exa_mple.ch',
    '1.2.3.4',
    'a.b1',
    `${'a'.repeat(64)}.ch`,
    `${'a.'.repeat(126)}ch`,
    'user@example.ch',
    'http://example.ch',
    '',
  ])('refuses %j as a domain name', (input) => {
    expect(checkDomainName(input).ok).toBe(false);
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
