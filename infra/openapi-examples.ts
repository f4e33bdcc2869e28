/**
 * A request body example for the routes a client writes first, by route id (the route table's
 * ids), written into docs/openapi.json beside each body's schema. They live here, not on the
 * schemas, so that no function's bundle carries them; test/infra/openapi.test.ts checks each
 * one against the very schema that validates the route's requests, so an example cannot rot.
 */

const ADDRESS = {
  name: 'Example SA',
  street: 'Bahnhofstrasse',
  buildingNumber: '1',
  postalCode: '8001',
  city: 'Zürich',
  country: 'CH',
  email: 'billing@example.ch',
};

const ID = '01JD5Y8ZQ6W3N2VB7C4M9K0XTE';
const OTHER_ID = '01JD5Y9A3F8R2T6PZ1H4C7QWNM';

export const REQUEST_EXAMPLES: Record<string, { summary: string; value: unknown }> = {
  UpdateMe: { summary: 'Italian e-mails and documents', value: { language: 'it' } },
  SwitchOrganization: { summary: 'Work in another account', value: { organizationId: ID } },
  CreateOrganization: {
    summary: 'A company account in Swiss francs',
    value: { holder: { kind: 'company', businessName: 'Example SA' }, currency: 'CHF' },
  },
  Invite: {
    summary: 'A colleague who pays the invoices of every product',
    value: {
      email: 'colleague@example.com',
      rights: { admin: false, billing: true, products: 'all' },
      language: 'it',
    },
  },
  ChangeRights: {
    summary: 'Manage two products, no billing',
    value: { admin: false, billing: false, products: [ID, OTHER_ID] },
  },
  AcceptInvitation: {
    summary: 'The token of the e-mailed link',
    value: { token: `${ID}.the-secret-of-the-link` },
  },
  QuoteOrder: {
    summary: 'What a domain for a year costs with a promo code',
    value: {
      organizationId: ID,
      items: [{ type: 'domain', name: 'example.ch', periodMonths: 12 }],
      paymentMethod: 'qr-bill',
      promoCode: 'WELCOME-10',
    },
  },
  PlaceOrder: {
    summary: 'A first order: it creates the account',
    value: {
      newAccount: { holder: { kind: 'person', firstName: 'Ada', lastName: 'Lovelace' }, currency: 'CHF' },
      items: [
        { type: 'domain', name: 'example.ch', periodMonths: 12 },
        { type: 'web-hosting', name: 'example', periodMonths: 12 },
      ],
      paymentMethod: 'qr-bill',
      billingAddress: ADDRESS,
    },
  },
  AddAddress: { summary: 'A billing address in Switzerland', value: ADDRESS },
  SetDefaultAddress: { summary: 'Invoice to this address from now on', value: { addressId: ID } },
  CreateProForma: {
    summary: 'Renew a product and pay an open invoice by QR-bill',
    value: { productIds: [ID], invoiceIds: [OTHER_ID], paymentMethod: 'qr-bill' },
  },
  Withdraw: {
    summary: 'Pay 50.00 of the prepaid balance out',
    value: { amount: 5000, iban: 'CH93 0076 2011 6238 5295 7', accountHolder: 'Example SA' },
  },
  TransferProducts: {
    summary: 'Move a product to another account',
    value: { productIds: [ID], targetOrganizationId: OTHER_ID },
  },
  ReminderStages: {
    summary: 'Remind 30 and 7 days before expiry, and the day after',
    value: { stages: [30, 7, -1] },
  },
  GrantCredit: {
    summary: 'Three free months of web hosting',
    value: { productType: 'web-hosting', freeMonths: 3, note: 'Sorry for the outage on 3 May.' },
  },
  CreatePromoCode: {
    summary: '10 % off domains for a year',
    value: {
      code: 'WELCOME-10',
      percentOff: 1000,
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2027-01-01T00:00:00Z',
      productTypes: ['domain'],
      maxRedemptions: 100,
    },
  },
  RecordBankPayment: {
    summary: 'A payment of 19.46 from the bank statement',
    value: {
      bankTransactionId: 'CAMT-2026-11-26-0001',
      reference: '210000000003139471430009017',
      amount: 1946,
      currency: 'CHF',
    },
  },
};
