import type { Language } from '../entities/user.ts';

/** What a pro-forma or an invoice says, in the reader's language (R21, R22). */
export interface DocumentCopy {
  proForma: string;
  invoice: string;
  date: string;
  dueOn: string;
  reference: string;
  covers: string;
  paidOn: string;
  vat: string;
  columns: { description: string; net: string; rate: string; vat: string; total: string };
  freeCredit: string;
  promo: string;
  total: string;
  amountDue: string;
  payment: string;
  /** `{name}`, `{iban}`, `{bank}`. */
  transfer: string;
  /** `{reference}`. */
  quote: string;
  noLegalValue: string;
  /** swissqrbill's language of the payment part. */
  qrBill: 'EN' | 'IT' | 'FR' | 'DE';
}

export const DOCUMENT_COPY: Record<Language, DocumentCopy> = {
  en: {
    proForma: 'Pro-forma invoice',
    invoice: 'Invoice',
    date: 'Date',
    dueOn: 'Due date',
    reference: 'Payment reference',
    covers: 'Covers invoices',
    paidOn: 'Paid on',
    vat: 'VAT',
    columns: { description: 'Description', net: 'Net', rate: 'VAT %', vat: 'VAT', total: 'Total' },
    freeCredit: 'free credit',
    promo: 'promo',
    total: 'Total',
    amountDue: 'Amount due',
    payment: 'Payment',
    transfer: 'By bank transfer to {name}, IBAN {iban}, {bank}.',
    quote:
      'Please quote the payment reference {reference}. Pay early so that no domain is lost and no product blocked.',
    noLegalValue: 'This pro-forma invoice has no legal, tax or accounting value.',
    qrBill: 'EN',
  },
  it: {
    proForma: 'Fattura pro forma',
    invoice: 'Fattura',
    date: 'Data',
    dueOn: 'Scadenza',
    reference: 'Riferimento di pagamento',
    covers: 'Comprende le fatture',
    paidOn: 'Pagata il',
    vat: 'IVA',
    columns: { description: 'Descrizione', net: 'Netto', rate: 'IVA %', vat: 'IVA', total: 'Totale' },
    freeCredit: 'credito gratuito',
    promo: 'codice promozionale',
    total: 'Totale',
    amountDue: 'Importo da pagare',
    payment: 'Pagamento',
    transfer: 'Con bonifico bancario a {name}, IBAN {iban}, {bank}.',
    quote:
      'Indichi il riferimento di pagamento {reference}. Per evitare di perdere un nome di dominio o di farsi bloccare un prodotto, paghi con largo anticipo.',
    noLegalValue: 'Questa fattura pro forma non ha alcun valore legale, fiscale o contabile.',
    qrBill: 'IT',
  },
  fr: {
    proForma: 'Facture pro forma',
    invoice: 'Facture',
    date: 'Date',
    dueOn: 'Échéance',
    reference: 'Référence de paiement',
    covers: 'Couvre les factures',
    paidOn: 'Payée le',
    vat: 'TVA',
    columns: { description: 'Description', net: 'Net', rate: 'TVA %', vat: 'TVA', total: 'Total' },
    freeCredit: 'crédit gratuit',
    promo: 'code promo',
    total: 'Total',
    amountDue: 'Montant dû',
    payment: 'Paiement',
    transfer: 'Par virement bancaire à {name}, IBAN {iban}, {bank}.',
    quote:
      'Veuillez indiquer la référence de paiement {reference}. Payez bien à l’avance pour ne perdre aucun nom de domaine et qu’aucun produit ne soit bloqué.',
    noLegalValue: 'Cette facture pro forma n’a aucune valeur légale, fiscale ou comptable.',
    qrBill: 'FR',
  },
  de: {
    proForma: 'Proforma-Rechnung',
    invoice: 'Rechnung',
    date: 'Datum',
    dueOn: 'Fällig am',
    reference: 'Zahlungsreferenz',
    covers: 'Umfasst die Rechnungen',
    paidOn: 'Bezahlt am',
    vat: 'MWST',
    columns: { description: 'Beschreibung', net: 'Netto', rate: 'MWST %', vat: 'MWST', total: 'Total' },
    freeCredit: 'Gratisguthaben',
    promo: 'Aktionscode',
    total: 'Total',
    amountDue: 'Offener Betrag',
    payment: 'Zahlung',
    transfer: 'Per Banküberweisung an {name}, IBAN {iban}, {bank}.',
    quote:
      'Bitte geben Sie die Zahlungsreferenz {reference} an. Zahlen Sie frühzeitig, damit kein Domainname verloren geht und kein Produkt gesperrt wird.',
    noLegalValue: 'Diese Proforma-Rechnung hat keinen rechtlichen, steuerlichen oder buchhalterischen Wert.',
    qrBill: 'DE',
  },
};
