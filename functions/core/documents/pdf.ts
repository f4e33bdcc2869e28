import PDFDocument from 'pdfkit';
import { SwissQRBill } from 'swissqrbill/pdf';
import type { BillingAddress } from '../entities/billing.ts';
import type { InvoiceLine } from '../entities/invoice.ts';
import { type Currency, formatMoney } from '../money.ts';
import { SELLER } from '../seller.ts';

/**
 * Pro-forma and final invoices as PDF (R21, R22), rendered with pdfkit. A pro-forma paid by
 * QR-bill carries the Swiss QR-bill payment part (swissqrbill). Amounts arrive in minor units;
 * the QR-bill library takes francs, converted at that edge only.
 */
export interface DocumentData {
  kind: 'pro-forma' | 'invoice';
  number: string;
  issuedOn: string;
  dueOn: string;
  currency: Currency;
  billingAddress: BillingAddress;
  lines: InvoiceLine[];
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

export const NO_LEGAL_VALUE = 'This pro-forma invoice has no legal, tax or accounting value.';

const percent = (basisPoints: number) => `${(basisPoints / 100).toFixed(1)} %`;

function addressLines(
  a: Pick<BillingAddress, 'name' | 'street' | 'buildingNumber' | 'postalCode' | 'city' | 'country'>,
) {
  return [
    a.name,
    [a.street, a.buildingNumber].filter(Boolean).join(' '),
    `${a.country}-${a.postalCode} ${a.city}`,
  ];
}

export function renderDocument(data: DocumentData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `${data.kind} ${data.number}`, Author: SELLER.name },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const money = (amount: number) => formatMoney(amount, data.currency);
  doc.font('Helvetica-Bold').fontSize(14).text(SELLER.name);
  doc.font('Helvetica').fontSize(9);
  for (const line of addressLines({ ...SELLER, name: '' }).slice(1)) doc.text(line);
  doc.text(`VAT ${SELLER.vatNumber}`);
  doc.moveDown(1.5);

  doc.fontSize(10);
  for (const line of addressLines(data.billingAddress)) doc.text(line, 330);
  doc.moveDown(2);

  const title = data.kind === 'pro-forma' ? `Pro-forma invoice ${data.number}` : `Invoice ${data.number}`;
  doc.font('Helvetica-Bold').fontSize(16).text(title, 50);
  doc.font('Helvetica').fontSize(9);
  doc.text(
    `Date: ${data.issuedOn}    Due date: ${data.dueOn}    Payment reference: ${data.paymentReference}`,
  );
  if (data.covers?.length) doc.text(`Covers invoices: ${data.covers.join(', ')}`);
  if (data.paidOn) doc.text(`Paid on ${data.paidOn}`);
  doc.moveDown();

  const columns = { description: 50, net: 300, rate: 370, vat: 420, total: 480 };
  const row = (cells: Record<keyof typeof columns, string>, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(cells.description, columns.description, y, { width: 240 });
    const after = doc.y;
    for (const key of ['net', 'rate', 'vat', 'total'] as const) {
      doc.text(cells[key], columns[key], y, { width: key === 'rate' ? 45 : 60, align: 'right' });
    }
    doc.y = Math.max(after, doc.y);
    doc.x = 50;
  };
  row({ description: 'Description', net: 'Net', rate: 'VAT %', vat: 'VAT', total: 'Total' }, true);
  for (const line of data.lines) {
    const discounts = [
      line.creditDiscount ? `free credit -${money(line.creditDiscount)}` : '',
      line.promoDiscount ? `promo -${money(line.promoDiscount)}` : '',
    ].filter(Boolean);
    row({
      description: discounts.length ? `${line.description} (${discounts.join(', ')})` : line.description,
      net: money(line.net),
      rate: percent(line.vatRate),
      vat: money(line.vat),
      total: money(line.total),
    });
  }
  doc.moveDown();
  row(
    { description: 'Total', net: money(data.net), rate: '', vat: money(data.vat), total: money(data.total) },
    true,
  );
  if (data.amountDue !== data.total) {
    row({ description: 'Amount due', net: '', rate: '', vat: '', total: money(data.amountDue) }, true);
  }
  doc.moveDown(1.5);

  doc.font('Helvetica-Bold').text('Payment', 50);
  doc.font('Helvetica');
  doc.text(
    `By bank transfer to ${SELLER.name}, IBAN ${SELLER.iban.replace(/(.{4})/g, '$1 ').trim()}, ${SELLER.bank}.`,
  );
  doc.text(
    `Please quote the payment reference ${data.paymentReference}. Pay early so that no domain is lost and no product blocked.`,
  );
  if (data.kind === 'pro-forma') {
    doc.moveDown();
    doc.font('Helvetica-Bold').text(NO_LEGAL_VALUE);
    doc.font('Helvetica');
  }

  if (data.kind === 'pro-forma' && data.paymentMethod === 'qr-bill') {
    const [street = '', buildingNumber] = [data.billingAddress.street, data.billingAddress.buildingNumber];
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
          name: data.billingAddress.name,
          address: street,
          ...(buildingNumber ? { buildingNumber } : {}),
          zip: data.billingAddress.postalCode,
          city: data.billingAddress.city,
          country: data.billingAddress.country,
        },
      },
      { language: 'EN' },
    ).attachTo(doc);
  }
  doc.end();
  return done;
}
