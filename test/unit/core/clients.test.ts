import { describe, expect, it } from 'vitest';
import { isTransactionConflict } from '../../../functions/core/clients.ts';

const cancelled = (...codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('which DynamoDB refusals are sent again (an ongoing transaction on an item)', () => {
  it('a single write refused for an ongoing transaction, and a transaction cancelled for one alone', () => {
    expect(
      isTransactionConflict(Object.assign(new Error('x'), { name: 'TransactionConflictException' })),
    ).toBe(true);
    expect(isTransactionConflict(cancelled('None', 'TransactionConflict', 'None'))).toBe(true);
  });

  it('not a transaction whose condition failed, even beside a conflict: that is its answer', () => {
    expect(isTransactionConflict(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBe(false);
    expect(isTransactionConflict(cancelled('None', 'ConditionalCheckFailed'))).toBe(false);
    expect(isTransactionConflict(cancelled('None', 'ValidationError'))).toBe(false);
  });

  it('not other errors, nor a cancellation without reasons', () => {
    expect(isTransactionConflict(cancelled())).toBe(false);
    expect(
      isTransactionConflict(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' })),
    ).toBe(false);
    expect(isTransactionConflict(new Error('TransactionConflict'))).toBe(false);
  });
});
