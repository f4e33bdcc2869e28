import { describe, expect, it } from 'vitest';
import { bankPaymentItem, withdrawalItem } from '../../../functions/core/entities/invoice.ts';

/**
 * Records the system writes for people outside it to read — a bank payment for staff and
 * accounting, a withdrawal for accounting to pay out (R15, R18) — read back as they were written.
 */
describe('write-only records', () => {
  const payment = {
    bankTransactionId: 'tx-1',
    amount: 1234,
    currency: 'CHF' as const,
    reference: 'RF18539007547034',
    receivedAt: '2026-11-28T10:00:00.000Z',
    invoiceIds: [],
  };

  it('a bank payment that matched no account reads back with no account', () => {
    const unmatched = { ...payment, organizationId: null, matched: false };
    const item = bankPaymentItem.toItem(unmatched);

    expect(item).toMatchObject({ pk: 'PAYMENT#tx-1', sk: 'PAYMENT', type: 'BankPayment' });
    expect('organizationId' in item).toBe(false);
    expect(bankPaymentItem.fromItem(item)).toEqual(unmatched);
  });

  it('a matched bank payment reads back with its account and invoices', () => {
    const matched = { ...payment, organizationId: 'org-1', matched: true, invoiceIds: ['inv-1'] };
    expect(bankPaymentItem.fromItem(bankPaymentItem.toItem(matched))).toEqual(matched);
  });

  it('a withdrawal reads back in its account, requested or paid', () => {
    const codec = withdrawalItem('org-1');
    const requested = {
      entryId: '01J0000000000000000000000A',
      status: 'requested' as const,
      amount: 3000,
      currency: 'CHF' as const,
      iban: 'CH9300762011623852957',
      accountHolder: 'Ada Lovelace',
      requestedBy: 'user-1',
      at: '2026-11-28T10:00:00.000Z',
    };
    const item = codec.toItem(requested);

    expect(item).toMatchObject({
      pk: 'ORG#org-1',
      sk: `WITHDRAWAL#${requested.entryId}`,
      type: 'Withdrawal',
    });
    expect(codec.fromItem(item)).toEqual(requested);
    expect(codec.fromItem({ ...item, status: 'paid' })).toEqual({ ...requested, status: 'paid' });
  });
});
