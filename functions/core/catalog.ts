import * as z from 'zod';
import type { Currency } from './money.ts';

/**
 * What can be ordered (R12): each product type with its renewal periods and price per month
 * in minor units per currency, and its VAT rate (basis points; Swiss standard rate 8.1 %).
 */
export const ProductType = z.enum(['domain', 'web-hosting', 'mail-service', 'backup']);
export type ProductType = z.infer<typeof ProductType>;

interface CatalogEntry {
  label: string;
  periodsMonths: number[];
  pricePerMonth: Record<Currency, number>;
  vatRate: number;
}

export const CATALOG: Record<ProductType, CatalogEntry> = {
  domain: {
    label: 'Domain name',
    periodsMonths: [12, 24, 36, 60],
    pricePerMonth: { CHF: 150, EUR: 140 },
    vatRate: 810,
  },
  'web-hosting': {
    label: 'Web hosting',
    periodsMonths: [1, 12, 24],
    pricePerMonth: { CHF: 900, EUR: 850 },
    vatRate: 810,
  },
  'mail-service': {
    label: 'Mail service',
    periodsMonths: [1, 12],
    pricePerMonth: { CHF: 250, EUR: 240 },
    vatRate: 810,
  },
  backup: { label: 'Backup', periodsMonths: [1, 12], pricePerMonth: { CHF: 500, EUR: 470 }, vatRate: 810 },
};

export const priceOf = (type: ProductType, months: number, currency: Currency): number =>
  CATALOG[type].pricePerMonth[currency] * months;
