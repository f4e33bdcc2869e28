import PDFDocument from 'pdfkit';
import { SwissQRBill } from 'swissqrbill/pdf';
import { lineDescription } from '../catalog.ts';
import type { BillingAddress } from '../entities/billing.ts';
import type { InvoiceLine } from '../entities/invoice.ts';
import type { Language } from '../entities/user.ts';
import { formatAmount, formatDay } from '../formats.ts';
import type { Currency } from '../money.ts';
import { printable } from '../schemas.ts';
import { SELLER } from '../seller.ts';
import { DOCUMENT_COPY } from './copy.ts';
import { FONTS } from './fonts.ts';

/**
 * Pro-forma and final invoices as PDF (R21, R22), rendered with pdfkit in the reader's language
 * (it / fr / de / en: words, dates and amounts). A pro-forma paid by QR-bill carries the Swiss
 * QR-bill payment part (swissqrbill, in the same language). Amounts arrive in minor units; the
 * QR-bill library takes francs, converted at that edge only.
 */
export interface DocumentData {
  kind: 'pro-forma' | 'invoice';
  language: Language;
  number: string;
  issuedOn: string;
  dueOn: string;
  currency: Currency;
  billingAddress: BillingAddress;
  /** Each line, and whether it renews a product. */
  lines: (InvoiceLine & { renewal: boolean })[];
  net: number;
  vat: number;
  total: number;
  /** What is still to pay (total less what was paid). */
  amountDue: number;
  paymentReference: string;
  paymentMethod: string;
  /** For a pro-forma: the invoices it covers. */
  covers?: string[];
  paidOn?: string;
}

/**
 * The payment part's typeface must be Helvetica, Arial, Frutiger or Liberation Sans (Swiss
 * Payment Standards, style guide), and swissqrbill draws it in the PDF standard Helvetica: the
 * debtor's name and address are given in its character set, other letters by their base
 * letter (ř → r).
 */
const helveticaText = (text: string) =>
  [...text]
    .map((c) => (WIN_ANSI.test(c) ? c : (UNDECOMPOSED[c] ?? c.normalize('NFD').replace(/\p{M}/gu, ''))))
    .map((c) => (WIN_ANSI.test(c) ? c : '?'))
    .join('');
/** What the PDF standard fonts can write: Latin-1 and Windows-1252's additions. */
const WIN_ANSI = /^[\u0020-\u007e\u00a0-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/u;
/** Letters without a decomposition into a base letter and a mark. */
const UNDECOMPOSED: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i' };

/** The line's words in the reader's language (lines of old invoices keep their English text). */
function describeLine(line: DocumentData['lines'][number], language: Language): string {
  const { productType, productName, periodMonths } = line;
  return productType && productName && periodMonths
    ? lineDescription({ productType, productName, periodMonths, renewal: line.renewal }, language)
    : line.description;
}

function addressLines(
  a: Pick<BillingAddress, 'name' | 'street' | 'buildingNumber' | 'postalCode' | 'city' | 'country'>,
) {
  return [
    a.name,
    [a.street, a.buildingNumber].filter(Boolean).join(' '),
    `${a.country}-${a.postalCode} ${a.city}`,
  ].map(printable);
}

export function renderDocument(data: DocumentData): Promise<Buffer> {
  const words = DOCUMENT_COPY[data.language];
  const title = `${data.kind === 'pro-forma' ? words.proForma : words.invoice} ${data.number}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    lang: data.language,
    info: { Title: title, Author: SELLER.name },
  });
  doc.registerFont('Text', FONTS.regular);
  doc.registerFont('Text-Bold', FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const money = (amount: number) => formatAmount(amount, data.currency, data.language);
  const day = (iso: string) => formatDay(iso, data.language);
  const percent = (basisPoints: number) =>
    new Intl.NumberFormat(`${data.language}-CH`, { style: 'percent', minimumFractionDigits: 1 }).format(
      basisPoints / 10_000,
    );
  const fill = (text: string, values: Record<string, string>) =>
    text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

  doc.font('Text-Bold').fontSize(14).text(SELLER.name);
  doc.font('Text').fontSize(9);
  for (const line of addressLines({ ...SELLER, name: '' }).slice(1)) doc.text(line);
  doc.text(`${SELLER.vatNumber} ${words.vat}`);
  doc.moveDown(1.5);

  doc.fontSize(10);
  for (const line of addressLines(data.billingAddress)) doc.text(line, 330);
  doc.moveDown(2);

  doc.font('Text-Bold').fontSize(16).text(title, 50);
  doc.font('Text').fontSize(9);
  doc.text(
    `${words.date}: ${day(data.issuedOn)}    ${words.dueOn}: ${day(data.dueOn)}    ${words.reference}: ${data.paymentReference}`,
  );
  if (data.covers?.length) doc.text(`${words.covers}: ${data.covers.join(', ')}`);
  if (data.paidOn) doc.text(`${words.paidOn} ${day(data.paidOn)}`);
  doc.moveDown();

  // Left edge and width of each column; amounts up to CHF 9'999'999.99 fit on one line.
  const columns = {
    description: [50, 220],
    net: [275, 75],
    rate: [350, 45],
    vat: [395, 75],
    total: [470, 75],
  };
  const row = (cells: Record<keyof typeof columns, string>, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Text-Bold' : 'Text');
    doc.text(cells.description, columns.description[0], y, { width: columns.description[1] });
    const after = doc.y;
    for (const key of ['net', 'rate', 'vat', 'total'] as const) {
      doc.text(cells[key], columns[key][0], y, { width: columns[key][1], align: 'right' });
    }
    doc.y = Math.max(after, doc.y);
    doc.x = 50;
  };
  row(words.columns, true);
  for (const line of data.lines) {
    const discounts = [
      line.creditDiscount ? `${words.freeCredit} -${money(line.creditDiscount)}` : '',
      line.promoDiscount ? `${words.promo} -${money(line.promoDiscount)}` : '',
    ].filter(Boolean);
    const description = printable(describeLine(line, data.language));
    row({
      description: discounts.length ? `${description} (${discounts.join(', ')})` : description,
      net: money(line.net),
      rate: percent(line.vatRate),
      vat: money(line.vat),
      total: money(line.total),
    });
  }
  doc.moveDown();
  row(
    {
      description: words.total,
      net: money(data.net),
      rate: '',
      vat: money(data.vat),
      total: money(data.total),
    },
    true,
  );
  if (data.amountDue !== data.total) {
    row({ description: words.amountDue, net: '', rate: '', vat: '', total: money(data.amountDue) }, true);
  }
  doc.moveDown(1.5);

  doc.font('Text-Bold').text(words.payment, 50);
  doc.font('Text');
  doc.text(
    fill(words.transfer, {
      name: SELLER.name,
      iban: SELLER.iban.replace(/(.{4})/g, '$1 ').trim(),
      bank: SELLER.bank,
    }),
  );
  doc.text(fill(words.quote, { reference: data.paymentReference }));
  if (data.kind === 'pro-forma') {
    doc.moveDown();
    doc.font('Text-Bold').text(words.noLegalValue);
    doc.font('Text');
  }

  if (data.kind === 'pro-forma' && data.paymentMethod === 'qr-bill') {
    const a = data.billingAddress;
    new SwissQRBill(
      {
        currency: data.currency,
        amount: data.amountDue / 100,
        reference: data.paymentReference,
        creditor: {
          account: SELLER.iban,
          name: SELLER.name,
          address: SELLER.street,
          buildingNumber: SELLER.buildingNumber,
          zip: SELLER.postalCode,
          city: SELLER.city,
          country: SELLER.country,
        },
        debtor: {
          name: helveticaText(a.name),
          address: helveticaText(a.street),
          ...(a.buildingNumber ? { buildingNumber: helveticaText(a.buildingNumber) } : {}),
          zip: helveticaText(a.postalCode),
          city: helveticaText(a.city),
          country: a.country,
        },
      },
      { language: words.qrBill },
    ).attachTo(doc);
  }
  doc.end();
  return done;
}
