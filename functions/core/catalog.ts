import * as z from 'zod/mini';
import type { Language } from './entities/user.ts';
import type { Currency } from './money.ts';

/**
 * What can be ordered (R12): each product type with its renewal periods and price per month
 * in minor units per currency, and its VAT rate (basis points; Swiss standard rate 8.1 %).
 */
export const ProductType = /* @__PURE__ */ z.enum(['domain', 'web-hosting', 'mail-service', 'backup']);
export type ProductType = z.infer<typeof ProductType>;

interface CatalogEntry {
  /** Its name in each language (e-mails, documents); `en` also in API messages. */
  label: Record<Language, string>;
  periodsMonths: number[];
  pricePerMonth: Record<Currency, number>;
  vatRate: number;
}

export const CATALOG: Record<ProductType, CatalogEntry> = {
  domain: {
    label: { en: 'Domain name', it: 'Nome a dominio', fr: 'Nom de domaine', de: 'Domainname' },
    periodsMonths: [12, 24, 36, 60],
    pricePerMonth: { CHF: 150, EUR: 140 },
    vatRate: 810,
  },
  'web-hosting': {
    label: { en: 'Web hosting', it: 'Hosting web', fr: 'Hébergement web', de: 'Webhosting' },
    periodsMonths: [1, 12, 24],
    pricePerMonth: { CHF: 900, EUR: 850 },
    vatRate: 810,
  },
  'mail-service': {
    label: { en: 'Mail service', it: 'Servizio e-mail', fr: 'Service de messagerie', de: 'E-Mail-Dienst' },
    periodsMonths: [1, 12],
    pricePerMonth: { CHF: 250, EUR: 240 },
    vatRate: 810,
  },
  backup: {
    label: { en: 'Backup', it: 'Backup', fr: 'Sauvegarde', de: 'Backup' },
    periodsMonths: [1, 12],
    pricePerMonth: { CHF: 500, EUR: 470 },
    vatRate: 810,
  },
};

export const priceOf = (type: ProductType, months: number, currency: Currency): number =>
  CATALOG[type].pricePerMonth[currency] * months;

const MONTHS: Record<Language, [string, string]> = {
  en: ['month', 'months'],
  it: ['mese', 'mesi'],
  fr: ['mois', 'mois'],
  de: ['Monat', 'Monate'],
};
const RENEWAL: Record<Language, string> = {
  en: 'Renewal',
  it: 'Rinnovo',
  fr: 'Renouvellement',
  de: 'Verlängerung',
};

/** An invoice line's words: `Rinnovo Nome a dominio example.ch, 12 mesi`. */
export function lineDescription(
  line: { productType: ProductType; productName: string; periodMonths: number; renewal: boolean },
  language: Language,
): string {
  const [one, many] = MONTHS[language];
  const what = `${CATALOG[line.productType].label[language]} ${line.productName}`;
  const period = `${line.periodMonths} ${line.periodMonths === 1 ? one : many}`;
  return `${line.renewal ? `${RENEWAL[language]} ` : ''}${what}, ${period}`;
}
