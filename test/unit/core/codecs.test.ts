import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  addressItem,
  BillingAddress,
  Credit,
  creditItem,
  PromoCode,
  promoItem,
} from '#core/entities/billing.ts';
import { Deletion, deletionItem } from '#core/entities/deletion.ts';
import { Invitation, InvitationSecrets, invitationItem } from '#core/entities/invitation.ts';
import {
  BankPayment,
  bankPaymentItem,
  Invoice,
  invoiceItem,
  LedgerEntry,
  ledgerItem,
  ProForma,
  proFormaItem,
  Withdrawal,
  withdrawalItem,
} from '#core/entities/invoice.ts';
import type { Codec, Item } from '#core/entities/item.ts';
import { Membership, membershipItem } from '#core/entities/membership.ts';
import { Organization, organizationItem } from '#core/entities/organization.ts';
import { Product, productItem, TransferRequest, transferItem } from '#core/entities/product.ts';
import { UserProfile, userItem } from '#core/entities/user.ts';
import { PARSE } from '#core/parse-options.ts';
import { built } from '#core/schemas.ts';
import { ADDRESS } from '#test/fixtures/routes.ts';

/**
 * Decision 94: a codec reads an item without zod. Each one must read what its entity's schema
 * parses — the same attributes, the same defaults for an item written before an attribute
 * existed, nothing of the table's own (keys, type, the repositories' attributes).
 */
const ORG = '01J00000000000000000000ORG';
const AT = '2026-11-28T10:00:00.000Z';
const address = { addressId: '01J0000000000000000000ADDR', ...ADDRESS, email: 'billing@example.com' };
const rights = { legalRepresentative: false, admin: true, billing: true, products: 'all' as const };

interface Case<T> {
  name: string;
  codec: Codec<T>;
  schema: z.ZodMiniObject;
  /** An entity with every attribute given. */
  value: T;
  /** The entity's fields from a stored item, where attributes are stored under other names. */
  fields: (item: Item) => Item;
}
const entity = <T>(
  name: string,
  codec: Codec<T>,
  schema: z.core.SomeType,
  value: T,
  fields = (item: Item) => item,
): Case<T> => ({
  name,
  codec,
  schema: (schema instanceof z.ZodMiniLazy ? built(schema) : schema) as z.ZodMiniObject,
  value,
  fields,
});

const cases: Case<never>[] = [
  entity('Organization', organizationItem, Organization, {
    organizationId: ORG,
    name: 'Ada Lovelace',
    holder: { kind: 'person', firstName: 'Ada', lastName: 'Lovelace' },
    legalRepresentativeId: 'user-1',
    adminCount: 2,
    logoKey: 'logos/x.png',
    currency: 'EUR',
    prepaidBalance: 500,
    defaultBillingAddressId: address.addressId,
    reminderStages: [30, 1],
    createdAt: AT,
    deletedAt: AT,
  }),
  entity('Membership', membershipItem, Membership, {
    organizationId: ORG,
    organizationName: 'Ada Lovelace',
    userId: 'user-1',
    email: 'ada@example.com',
    rights,
    joinedAt: AT,
  }),
  entity(
    'Product',
    productItem,
    Product,
    {
      productId: '01J0000000000000000PRODUCT',
      organizationId: ORG,
      type: 'domain',
      name: 'example.ch',
      status: 'active',
      expiresOn: '2027-11-28',
      renewalPeriodMonths: 12,
      price: { amount: 1500, currency: 'CHF' },
      createdAt: AT,
      terminatedAt: AT,
      endedBy: 'customer',
      openRenewalInvoiceId: '01J0000000000000000INVOICE',
      nextReminder: { stage: 30, day: '2027-10-29' },
      lastReminder: { stage: 60, day: '2027-09-29', expiresOn: '2027-11-28' },
    },
    (item) => ({ ...item, type: item.productType }),
  ),
  entity('TransferRequest', transferItem, TransferRequest, {
    transferId: '01J000000000000000TRANSFER',
    sourceOrganizationId: '01J0000000000000000SOURCE',
    targetOrganizationId: ORG,
    productIds: ['01J0000000000000000PRODUCT'],
    requestedBy: 'user-1',
    status: 'pending',
    createdAt: AT,
  }),
  entity('UserProfile', userItem, UserProfile, {
    userId: 'user-1',
    email: 'ada@example.com',
    language: 'it',
    currentOrganizationId: ORG,
    recoveryEmail: 'recovery@example.com',
    billingNotices: false,
  }),
  entity('Invitation', invitationItem, z.extend(built(Invitation), built(InvitationSecrets).shape), {
    organizationId: ORG,
    invitationId: '01J00000000000000INVITATION',
    email: 'grace@example.com',
    rights: { admin: false, billing: true, products: ['01HZZZZZZZZZZZZZZZZZZZZZZZ'] },
    language: 'en',
    status: 'accepted',
    invitedBy: 'user-1',
    inviterEmail: 'ada@example.com',
    inviterLanguage: 'it',
    createdAt: AT,
    expiresAt: AT,
    resendCount: 1,
    acceptedBy: 'user-2',
    tokenHash: 'hash',
    taskToken: 'token',
  }),
  entity('Deletion', deletionItem, Deletion, {
    organizationId: ORG,
    organizationName: 'Ada Lovelace',
    status: 'confirmed',
    requestedBy: 'user-1',
    requesterEmail: 'ada@example.com',
    requesterLanguage: 'it',
    requestedAt: AT,
    tokenHash: 'hash',
    taskToken: 'token',
  }),
  entity('BillingAddress', addressItem(ORG), BillingAddress, address),
  entity('Credit', creditItem, Credit, {
    creditId: '01J00000000000000000CREDIT',
    organizationId: ORG,
    productType: 'web-hosting',
    amount: { amount: 1000, currency: 'CHF' },
    freeMonths: 3,
    note: 'goodwill',
    grantedBy: 'staff-1',
    grantedAt: AT,
    consumedByInvoice: '01J0000000000000000INVOICE',
  }),
  entity('PromoCode', promoItem, PromoCode, {
    code: 'WELCOME-10',
    percentOff: 1000,
    amountOff: { amount: 500, currency: 'EUR' },
    validFrom: AT,
    validUntil: AT,
    productTypes: ['domain'],
    minimumAmount: 100,
    maxRedemptions: 10,
    maxPerAccount: 2,
    redemptions: 3,
  }),
  entity('Invoice', invoiceItem, Invoice, {
    invoiceId: '01J0000000000000000INVOICE',
    organizationId: ORG,
    number: '2026-000001',
    kind: 'order',
    status: 'paid',
    currency: 'CHF',
    lines: [
      {
        description: 'Domain example.ch, 12 months',
        productId: '01J0000000000000000PRODUCT',
        productType: 'domain',
        productName: 'example.ch',
        periodMonths: 12,
        gross: 1500,
        creditDiscount: 100,
        creditId: '01J00000000000000000CREDIT',
        promoDiscount: 100,
        net: 1300,
        vatRate: 810,
        vat: 105,
        total: 1405,
      },
    ],
    net: 1300,
    vat: 105,
    total: 1405,
    amountPaid: 1405,
    paymentMethod: 'qr-bill',
    paymentReference: 'RF18539007547034',
    billingAddress: address,
    promoCode: 'WELCOME-10',
    issuedAt: AT,
    dueOn: '2026-12-28',
    paidAt: AT,
    archivedUntil: '2036-11-28',
  }),
  entity('ProForma', proFormaItem, ProForma, {
    proFormaId: '01J000000000000000PROFORMA',
    organizationId: ORG,
    number: 'PF-2026-000001',
    invoiceIds: ['01J0000000000000000INVOICE'],
    currency: 'CHF',
    total: 1405,
    paymentMethod: 'iban',
    paymentReference: 'RF18539007547034',
    documentKey: 'pro-formas/x.pdf',
    issuedAt: AT,
    dueOn: '2026-12-28',
  }),
  entity('LedgerEntry', ledgerItem(ORG), LedgerEntry, {
    entryId: '01J000000000000000000ENTRY',
    amount: -1405,
    currency: 'CHF',
    reason: 'order',
    reference: '01J0000000000000000INVOICE',
    balanceAfter: 0,
    at: AT,
  }),
  entity('Withdrawal', withdrawalItem(ORG), Withdrawal, {
    entryId: '01J000000000000000000ENTRY',
    status: 'requested',
    amount: 3000,
    currency: 'CHF',
    iban: 'CH9300762011623852957',
    accountHolder: 'Ada Lovelace',
    requestedBy: 'user-1',
    at: AT,
  }),
  entity('BankPayment', bankPaymentItem, BankPayment, {
    bankTransactionId: 'tx-1',
    organizationId: ORG,
    amount: 1405,
    currency: 'CHF',
    reference: 'RF18539007547034',
    receivedAt: AT,
    matched: true,
    invoiceIds: ['01J0000000000000000INVOICE'],
  }),
] as Case<never>[];

/** The attributes an item may leave out: optional ones and those with a default. */
const omissible = (schema: z.ZodMiniObject) =>
  Object.entries(schema.shape)
    .filter(([, field]) => (field as z.core.$ZodType)._zod.optin === 'optional')
    .map(([name]) => name);

/** What the entity's schema reads from an item: its parse of the item's fields. */
const parsed = (c: Case<never>, item: Item) => c.schema.parse(c.fields(item), PARSE);

describe('codecs read items as their schemas parse them (decision 94)', () => {
  it('covers every codec of the entities', () => {
    expect(cases.map((c) => c.codec.type)).toEqual([
      'Organization',
      'Membership',
      'Product',
      'TransferRequest',
      'UserProfile',
      'Invitation',
      'Deletion',
      'BillingAddress',
      'Credit',
      'PromoCode',
      'Invoice',
      'ProForma',
      'LedgerEntry',
      'Withdrawal',
      'BankPayment',
    ]);
  });

  it.each(cases)(
    '$name: an item with every attribute reads back as it was written, nothing of the table in it',
    (c) => {
      const item = { ...c.codec.toItem(c.value), billingMembers: new Set(['user-1']), ttl: 1 };

      expect(c.codec.fromItem(item)).toEqual(c.value);
      expect(c.codec.fromItem(item)).toEqual(parsed(c, item));
    },
  );

  it.each(cases)('$name: an item without its optional attributes reads with the schema’s defaults', (c) => {
    const left = omissible(c.schema);
    const item = c.codec.toItem(c.value);
    for (const name of left) delete item[name];

    expect(c.codec.fromItem(item)).toEqual(parsed(c, item));
  });

  it('the entities have optional attributes and defaults to leave out', () => {
    expect(cases.flatMap((c) => omissible(c.schema)).length).toBeGreaterThan(20);
    expect(organizationItem.fromItem({ organizationId: ORG, name: 'A', adminCount: 1 })).toMatchObject({
      legalRepresentativeId: '',
      logoKey: null,
      currency: 'CHF',
      prepaidBalance: 0,
      defaultBillingAddressId: null,
      reminderStages: null,
    });
  });

  it('a profile written before its recovery address reads the login’s', () => {
    const item = userItem.toItem({
      userId: 'user-1',
      email: 'ada@example.com',
      language: 'it',
      currentOrganizationId: null,
      recoveryEmail: 'ada@example.com',
      billingNotices: true,
    });
    delete item.recoveryEmail;
    delete item.userId;

    expect(userItem.fromItem(item)).toMatchObject({ userId: 'user-1', recoveryEmail: 'ada@example.com' });
  });
});
