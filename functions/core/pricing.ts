import { CATALOG, lineDescription, type ProductType, priceOf } from './catalog.ts';
import type { Credit, PromoCode } from './entities/billing.ts';
import type { InvoiceLine } from './entities/invoice.ts';
import type { FieldError } from './errors.ts';
import { type Currency, percentOf, sum, vatOf } from './money.ts';

/**
 * The price of a cart (R15–R17, R19), pure: catalog prices, free credits per item, the promo
 * code on the eligible items, VAT per line. Problems are reported per field, never thrown.
 */
export interface CartItem {
  type: ProductType;
  name: string;
  periodMonths: number;
  creditId?: string;
}

export interface PricedCart {
  lines: InvoiceLine[];
  net: number;
  vat: number;
  total: number;
  problems: FieldError[];
}

export interface PricingContext {
  currency: Currency;
  /** The account's available (unconsumed) credits, by id. */
  credits: Map<string, Credit>;
  promo?: PromoCode;
  now: Date;
}

function creditDiscount(credit: Credit, item: CartItem, gross: number, currency: Currency): number {
  if (credit.amount) return Math.min(credit.amount.amount, gross);
  const months = Math.min(credit.freeMonths ?? 0, item.periodMonths);
  return CATALOG[item.type].pricePerMonth[currency] * months;
}

/** Why a credit cannot go on an item (R16), or undefined when it can. */
export function creditMismatch(
  credit: Credit | undefined,
  item: CartItem,
  currency: Currency,
): string | undefined {
  if (!credit) return 'No such credit available on this account.';
  if (credit.productType !== item.type) return `This credit is for ${credit.productType}, not ${item.type}.`;
  if (credit.amount && credit.amount.currency !== currency)
    return `This credit is in ${credit.amount.currency}.`;
  return undefined;
}

/** Why a promo code does not apply, or undefined when it does (R17; limits are checked atomically later). */
function promoMismatch(promo: PromoCode, eligibleBase: number, hasEligible: boolean, ctx: PricingContext) {
  const now = ctx.now.toISOString();
  if (now < promo.validFrom) return 'This promo code is not valid yet.';
  if (now >= promo.validUntil) return 'This promo code has expired.';
  if (!hasEligible) return `This promo code applies to ${promo.productTypes.join(', ')} only.`;
  if (promo.amountOff && promo.amountOff.currency !== ctx.currency)
    return `This promo code is in ${promo.amountOff.currency}.`;
  if (eligibleBase < promo.minimumAmount)
    return 'The order does not reach the minimum amount of this promo code.';
  return undefined;
}

export function priceCart(items: CartItem[], ctx: PricingContext): PricedCart {
  const problems: FieldError[] = [];
  const usedCredits = new Set<string>();
  const lines = items.map((item, i): InvoiceLine => {
    const entry = CATALOG[item.type];
    if (!entry.periodsMonths.includes(item.periodMonths)) {
      problems.push({
        pointer: `/body/items/${i}/periodMonths`,
        detail: `${entry.label.en} is sold for ${entry.periodsMonths.join(', ')} months.`,
      });
    }
    const gross = priceOf(item.type, item.periodMonths, ctx.currency);
    let credit = 0;
    if (item.creditId) {
      const found = ctx.credits.get(item.creditId);
      const mismatch = usedCredits.has(item.creditId)
        ? 'This credit is already applied to another item.'
        : creditMismatch(found, item, ctx.currency);
      if (mismatch || !found)
        problems.push({ pointer: `/body/items/${i}/creditId`, detail: String(mismatch) });
      else {
        usedCredits.add(item.creditId);
        credit = creditDiscount(found, item, gross, ctx.currency);
      }
    }
    return {
      description: lineDescription(
        { productType: item.type, productName: item.name, periodMonths: item.periodMonths, renewal: false },
        'en',
      ),
      productType: item.type,
      productName: item.name,
      periodMonths: item.periodMonths,
      gross,
      creditDiscount: credit,
      ...(credit > 0 && item.creditId ? { creditId: item.creditId } : {}),
      promoDiscount: 0,
      net: gross - credit,
      vatRate: entry.vatRate,
      vat: 0,
      total: 0,
    };
  });

  const promo = ctx.promo;
  if (promo) {
    const eligible = lines.filter((l) => l.productType && promo.productTypes.includes(l.productType));
    const base = sum(eligible.map((l) => l.net));
    const mismatch = promoMismatch(promo, base, eligible.length > 0, ctx);
    if (mismatch) problems.push({ pointer: '/body/promoCode', detail: mismatch });
    else {
      let remaining = promo.amountOff?.amount ?? 0;
      for (const line of eligible) {
        const discount = promo.percentOff
          ? percentOf(line.net, promo.percentOff)
          : Math.min(remaining, line.net);
        remaining -= promo.percentOff ? 0 : discount;
        line.promoDiscount = discount;
        line.net -= discount;
      }
    }
  }

  for (const line of lines) {
    line.vat = vatOf(line.net, line.vatRate);
    line.total = line.net + line.vat;
  }
  return {
    lines,
    net: sum(lines.map((l) => l.net)),
    vat: sum(lines.map((l) => l.vat)),
    total: sum(lines.map((l) => l.total)),
    problems,
  };
}
