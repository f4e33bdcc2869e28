/**
 * The provider as it appears on invoices and pro-formas (R22), with the account that bank
 * transfers and QR-bills pay into (an ordinary IBAN, so references are SCOR "RF…").
 */
export const SELLER = {
  name: 'Manager Hosting SA',
  street: 'Rue de la Gare',
  buildingNumber: '12',
  postalCode: '1201',
  city: 'Genève',
  country: 'CH',
  /** UID of the VAT register; documents add MWST / TVA / IVA in their language. */
  vatNumber: 'CHE-123.456.789',
  iban: 'CH9300762011623852957',
  bank: 'PostFinance SA',
  email: 'billing@manager.example.com',
} as const;

/** Days between issuing an invoice and its due date. */
export const PAYMENT_TERM_DAYS = 30;
